import { defaultSfnClient } from '../aws/sfn';
import { runActCommand } from './chat/act';
import { chatWorkerHandler } from './chat/worker';
import { getRuntime } from './shared/runtime';

/** The chat worker that acts: drain, restore, shift, pause, resume, approve, abort, freeze, unfreeze. */
export const handler = chatWorkerHandler('act', { sfn: defaultSfnClient }, runActCommand, getRuntime);
