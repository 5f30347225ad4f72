import { CHAT_COMMANDS, type ChatCommandName } from '../chat-commands';
import type { FleetConfig } from '../config';

export type ChatopsConfig = FleetConfig['chatops'];

export type ChatAuthorization =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly message: string };

export interface ChatCaller {
  readonly user: string;
  readonly channel: string;
  readonly command: ChatCommandName;
}

/** The commands a user may run, in the order help lists them; empty for a user not on the list. */
export const allowedCommands = (chatops: ChatopsConfig, user: string): ChatCommandName[] => {
  const granted = new Set(
    chatops.users.filter((entry) => entry.id === user).flatMap((entry) => entry.commands),
  );
  if (granted.size === 0) return [];
  // `help` is everyone's who is on the list at all.
  return CHAT_COMMANDS.filter((name) => granted.has('all') || granted.has(name) || name === 'help');
};

/**
 * Whether this user, in this channel, may run this command. Refusals say which check failed
 * without listing who or where is allowed (the caller may be anyone with access to the app).
 */
export const authorizeChat = (chatops: ChatopsConfig, caller: ChatCaller): ChatAuthorization => {
  if (!chatops.enabled)
    return { allowed: false, message: 'chat commands are turned off for this fleet (chatops.enabled)' };
  if (!chatops.channels.includes(caller.channel))
    return {
      allowed: false,
      message: `this channel (${caller.channel}) is not on clustershift's channel list (chatops.channels)`,
    };
  const commands = allowedCommands(chatops, caller.user);
  if (commands.length === 0)
    return {
      allowed: false,
      message: `you (${caller.user}) are not on clustershift's user list (chatops.users); ask the fleet's owners`,
    };
  if (!commands.includes(caller.command))
    return {
      allowed: false,
      message: `you may not run ${caller.command}; you may run: ${commands.join(', ')}`,
    };
  return { allowed: true };
};
