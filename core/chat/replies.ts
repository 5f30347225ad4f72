import { executionLinks } from '../notify/links';
import type { ShiftRequest } from '../request';
import {
  type Block,
  context,
  ephemeral,
  escapeMrkdwn,
  inChannel,
  mrkdwnLink,
  progressButtons,
  SLACK_LIMITS,
  type SlackMessage,
  section,
} from './blocks';

/** The replies the chat worker posts to a response URL, as Block Kit. Pure: the worker only sends them. */

/** Room for the ``` fences inside one section. */
const CODE_BLOCK_ROOM = SLACK_LIMITS.sectionText - 10;

/**
 * Terminal output (the CLI's own tables) in code blocks, split at line ends so no section passes
 * Slack's 3,000 characters: on-call reads the same table in chat as in a terminal.
 */
export const codeBlocks = (lines: readonly string[]): Block[] => {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = escapeMrkdwn(raw).slice(0, CODE_BLOCK_ROOM);
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > CODE_BLOCK_ROOM && current !== '') {
      chunks.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks.map((chunk) => section(`\`\`\`${chunk}\`\`\``));
};

/** A read-only answer (status, plan, history): only the asker sees it. */
export const viewReply = (title: string, lines: readonly string[]): SlackMessage =>
  ephemeral([section(`*${escapeMrkdwn(title)}*`), ...codeBlocks(lines)], `${title}\n${lines.join('\n')}`);

/** Refused or failed: only the asker sees it, nothing was changed unless it says so. */
export const problemReply = (headline: string, details: readonly string[] = []): SlackMessage =>
  ephemeral(
    [
      section(`:no_entry: ${escapeMrkdwn(headline)}`),
      ...(details.length === 0 ? [] : codeBlocks(details.map((d) => d.trim()))),
    ],
    [headline, ...details].join('\n'),
  );

const linkLine = (executionArn: string): string => {
  const links = executionLinks(executionArn);
  const console = links.consoleUrl === undefined ? '' : `${mrkdwnLink(links.consoleUrl, 'console')} · `;
  return `${console}\`${escapeMrkdwn(links.watchCommand)}\``;
};

/** `<@U123>` mentions the user without trusting any text they sent. */
const mention = (userId: string): string =>
  /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);

/**
 * A shift started from chat, for the whole channel: who, what, why, and the buttons to pause,
 * approve or abort it (Approve when its first step waits for approval).
 */
export const startedReply = (
  userId: string,
  request: ShiftRequest,
  started: { readonly executionArn: string; readonly name: string },
): SlackMessage => {
  const what = [request.action, request.cluster].filter(Boolean).join(' ');
  const weights =
    request.weights === undefined
      ? ''
      : ` to ${Object.entries(request.weights)
          .map(([cluster, percent]) => `${cluster} ${percent} %`)
          .join(', ')}`;
  const headline = `${request.dryRun === true ? 'Dry run of' : 'Started'} *${escapeMrkdwn(what + weights)}* by ${mention(userId)}`;
  const blocks: Block[] = [
    section(`${headline}\n>${escapeMrkdwn(request.reason)}`),
    context([
      `execution \`${escapeMrkdwn(started.name)}\` · ${linkLine(started.executionArn)}`,
      ...(request.force.length === 0 ? [] : [`forced: ${escapeMrkdwn(request.force.join(', '))}`]),
    ]),
  ];
  if (request.dryRun !== true) {
    blocks.push(
      progressButtons(started.executionArn, {
        approveNext: request.pauseBeforeSteps?.includes(0) === true,
        paused: false,
      }),
    );
  }
  return inChannel(
    blocks,
    `${request.dryRun === true ? 'Dry run of' : 'Started'} ${what}${weights}: ${request.reason}`,
  );
};

/** Pause, resume, approve, abort, freeze, unfreeze: the channel sees who did it and what happens next. */
export const actionReply = (userId: string, did: string, next: string, executionArn?: string): SlackMessage =>
  inChannel(
    [
      section(`${mention(userId)} ${escapeMrkdwn(did)}`),
      context([escapeMrkdwn(next), ...(executionArn === undefined ? [] : [linkLine(executionArn)])]),
    ],
    `${did}. ${next}`,
  );

/** The immediate answer to Slack (within its 3 seconds) while the worker runs the command. */
export const acknowledgement = (commandText: string): SlackMessage =>
  ephemeral(
    [context([`:hourglass_flowing_sand: working on \`${escapeMrkdwn(commandText.slice(0, 200))}\``])],
    `working on ${commandText.slice(0, 200)}`,
  );
