import type { ShiftStoreReader } from '../../aws/store';
import { viewReply } from '../../core/chat/replies';
import { renderHistory } from '../../ops/history';
import { readStatus, renderStatus } from '../../ops/status';
import type { CommandRunner } from './run-command';

/** Minutes of RequestCount behind chat's `status` (the CLI's default). */
const STATUS_MINUTES = 5;

/** The status worker: `status` and `history`, which only read. */
export const runStatusCommand: CommandRunner<ShiftStoreReader> = async (access, _job, command) => {
  switch (command.command) {
    case 'status': {
      const report = await readStatus(access, STATUS_MINUTES);
      return viewReply(`status of ${access.config.fleet}`, renderStatus(report));
    }
    case 'history': {
      const records = await (await access.store()).listHistory(command.limit);
      return viewReply(`last ${command.limit} shifts of ${access.config.fleet}`, renderHistory(records));
    }
    default:
      throw new Error(`the status worker does not run ${command.command}`);
  }
};
