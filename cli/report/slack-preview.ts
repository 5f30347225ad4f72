import { InvalidRequestError } from '../../core/errors';
import { escapeHtml } from './escape';

/**
 * An approximation of how Slack draws a Block Kit message, as one self-contained HTML page: for
 * reviewing message layouts and for screenshots (scripts/render-slack-blocks.ts). Covers what
 * clustershift sends — header, section (mrkdwn text, two-column fields, a button accessory),
 * context, actions with primary/danger buttons, divider, attachments with a colour bar — and shows
 * any other block as a labelled placeholder. Fonts, spacing and emoji are not Slack's. Pure.
 */

type Json = Record<string, unknown>;

export interface SlackPreviewMessage {
  readonly text?: string;
  readonly blocks: readonly Json[];
  readonly attachments: readonly { readonly color?: string; readonly blocks: readonly Json[] }[];
}

export interface SlackPreviewOptions {
  /** Shown as the sender (default `clustershift`). */
  readonly appName?: string;
  /** Shown next to the sender, e.g. `10:04` (default none). */
  readonly time?: string;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const blockList = (value: unknown, path: string): Json[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidRequestError([{ path, message: 'must be an array of blocks' }]);
  return value.map((block, i) => {
    if (!isObject(block) || typeof block.type !== 'string')
      throw new InvalidRequestError([
        { path: `${path}.${i}`, message: 'must be a block: an object with a type' },
      ]);
    return block;
  });
};

/** A message payload (`{ text?, blocks?, attachments? }`) or a bare array of blocks. */
export const parseSlackMessage = (value: unknown): SlackPreviewMessage => {
  if (Array.isArray(value)) return { blocks: blockList(value, 'blocks'), attachments: [] };
  if (!isObject(value))
    throw new InvalidRequestError([
      { path: '(root)', message: 'must be a Slack message ({ "blocks": [...] }) or an array of blocks' },
    ]);
  const attachments = value.attachments === undefined ? [] : value.attachments;
  if (!Array.isArray(attachments))
    throw new InvalidRequestError([{ path: 'attachments', message: 'must be an array' }]);
  const message: SlackPreviewMessage = {
    ...(typeof value.text === 'string' ? { text: value.text } : {}),
    blocks: blockList(value.blocks, 'blocks'),
    attachments: attachments.map((attachment, i) => {
      if (!isObject(attachment))
        throw new InvalidRequestError([{ path: `attachments.${i}`, message: 'must be an object' }]);
      return {
        ...(typeof attachment.color === 'string' ? { color: attachment.color } : {}),
        blocks: blockList(attachment.blocks, `attachments.${i}.blocks`),
      };
    }),
  };
  if (message.text === undefined && message.blocks.length === 0 && message.attachments.length === 0)
    throw new InvalidRequestError([
      { path: '(root)', message: 'has no text, blocks or attachments to show' },
    ]);
  return message;
};

/** Slack's mrkdwn escapes exactly these three; the text between them is the author's. */
const decodeEntities = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s"'<>]+$/i;

/** `<https://x|label>`, `<@U123>`, `<#C123|ops>`, `<!here>`: a link only for http(s) and mailto. */
const controlSequence = (inner: string): string => {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.length === 0 ? undefined : decodeEntities(rest.join('|'));
  if (target.startsWith('@') || target.startsWith('#'))
    return `<span class="mention">${escapeHtml(target[0])}${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!')) {
    const name = target.slice(1).split('^')[0] ?? '';
    return `<span class="mention">${escapeHtml(label ?? `@${name}`)}</span>`;
  }
  const url = decodeEntities(target);
  if (!SAFE_URL.test(url)) return escapeHtml(`<${decodeEntities(inner)}>`);
  return `<a href="${escapeHtml(url)}">${escapeHtml(label ?? url)}</a>`;
};

/**
 * mrkdwn → HTML: code blocks, inline code and control sequences are set aside first (nothing inside
 * them is formatted), the rest is escaped, then *bold*, _italic_ and ~strike~ applied. Slack's own
 * rules about word boundaries are approximated.
 */
export const mrkdwnToHtml = (mrkdwn: string): string => {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE001`;
  const text = mrkdwn
    .replace(/[\uE000\uE001]/g, '')
    .replace(/```\n?([\s\S]*?)```/g, (_, body: string) =>
      hold(`<pre>${escapeHtml(decodeEntities(body))}</pre>`),
    )
    .replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(controlSequence(inner)));
  return escapeHtml(decodeEntities(text))
    .replace(/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1<b>$2</b>')
    .replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~([^~\n]+)~(?![\w~])/g, '$1<s>$2</s>')
    .replace(/\n/g, '<br>')
    .replace(/\uE000(\d+)\uE001/g, (_, index: string) => held[Number(index)] ?? '');
};

/** A text object: mrkdwn formatted, plain_text as it is. */
const textObject = (value: unknown): string => {
  if (!isObject(value) || typeof value.text !== 'string') return '';
  return value.type === 'mrkdwn' ? mrkdwnToHtml(value.text) : escapeHtml(value.text).replace(/\n/g, '<br>');
};

const element = (value: unknown): string => {
  if (!isObject(value)) return '';
  if (value.type === 'button') {
    const style = value.style === 'primary' || value.style === 'danger' ? ` ${value.style}` : '';
    const confirm = isObject(value.confirm) ? ' title="asks to confirm"' : '';
    return `<span class="button${style}"${confirm}>${textObject(value.text)}</span>`;
  }
  if (value.type === 'image')
    return `<span class="image" title="${escapeHtml(value.alt_text)}">${escapeHtml(value.alt_text ?? 'image')}</span>`;
  if (value.type === 'mrkdwn' || value.type === 'plain_text') return `<span>${textObject(value)}</span>`;
  return `<span class="unsupported">${escapeHtml(value.type)}</span>`;
};

const elements = (value: unknown): string[] => (Array.isArray(value) ? value.map(element) : []);

const block = (b: Json): string => {
  switch (b.type) {
    case 'header':
      return `<div class="block header">${textObject(b.text)}</div>`;
    case 'section': {
      const fields = Array.isArray(b.fields)
        ? `<div class="fields">${b.fields.map((f) => `<div class="field">${textObject(f)}</div>`).join('')}</div>`
        : '';
      const text = b.text === undefined ? '' : `<div class="text">${textObject(b.text)}</div>`;
      const accessory =
        b.accessory === undefined ? '' : `<div class="accessory">${element(b.accessory)}</div>`;
      return `<div class="block section"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="block context">${elements(b.elements).join('')}</div>`;
    case 'actions':
      return `<div class="block actions">${elements(b.elements).join('')}</div>`;
    case 'divider':
      return '<hr class="block divider">';
    case 'image':
      return `<div class="block image-block">${escapeHtml(b.alt_text ?? 'image')}</div>`;
    default:
      return `<div class="block unsupported">unsupported block: ${escapeHtml(b.type)}</div>`;
  }
};

/** Attachment colours Slack names, else a hex colour; anything else is grey. */
const barColour = (colour: string | undefined): string => {
  const named: Record<string, string> = { good: '#2eb886', warning: '#daa038', danger: '#a30200' };
  if (colour === undefined) return '#dddddd';
  if (named[colour] !== undefined) return named[colour];
  return /^#?[0-9a-f]{6}$/i.test(colour) ? `#${colour.replace('#', '')}` : '#dddddd';
};

const STYLE = `
body { margin: 0; padding: 16px; background: #fff; color: #1d1c1d; font: 15px/1.47 "Lato", system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.message { display: flex; gap: 8px; max-width: 720px; padding: 8px 20px 8px 12px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #1f5fbf; color: #fff; font-weight: 900; font-size: 14px; display: flex; align-items: center; justify-content: center; }
.content { flex: 1; min-width: 0; }
.sender { font-weight: 900; } .badge { font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8; border-radius: 2px; padding: 1px 3px; margin-left: 4px; vertical-align: 2px; } .time { color: #616061; font-size: 12px; margin-left: 6px; }
.block { margin: 4px 0; overflow-wrap: anywhere; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin-top: 6px; }
.section { display: flex; gap: 12px; align-items: flex-start; } .section-body { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.context { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; font-size: 13px; color: #616061; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.button { display: inline-block; padding: 3px 12px; min-height: 28px; line-height: 28px; box-sizing: border-box; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; font-size: 15px; font-weight: 700; background: #fff; color: #1d1c1d; white-space: nowrap; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; } .button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.divider { border: 0; border-top: 1px solid #dddddd; margin: 8px 0; }
code { font: 12px Monaco, Menlo, Consolas, monospace; color: #e01e5a; background: #f8f8f8; border: 1px solid #dddddd; border-radius: 3px; padding: 1px 3px; }
pre { font: 12px/1.5 Monaco, Menlo, Consolas, monospace; background: #f8f8f8; border: 1px solid #dddddd; border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; }
a { color: #1264a3; text-decoration: none; } .mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
.image, .image-block { display: inline-block; color: #616061; font-size: 12px; border: 1px dashed #bbb; padding: 2px 6px; }
.unsupported { color: #8a6d00; font-style: italic; }
.attachment { display: flex; gap: 12px; margin: 6px 0; } .bar { flex: none; width: 4px; border-radius: 8px; } .attachment-body { flex: 1; min-width: 0; }
`;

export const renderSlackPreview = (
  message: SlackPreviewMessage,
  options: SlackPreviewOptions = {},
): string => {
  const appName = options.appName ?? 'clustershift';
  // Slack shows `text` only when there are no blocks (it is the notification fallback otherwise).
  const body =
    message.blocks.length > 0
      ? message.blocks.map(block).join('\n')
      : message.text === undefined
        ? ''
        : `<div class="block">${mrkdwnToHtml(message.text)}</div>`;
  const attachments = message.attachments.map(
    (a) =>
      `<div class="attachment"><div class="bar" style="background:${barColour(a.color)}"></div><div class="attachment-body">${a.blocks.map(block).join('\n')}</div></div>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(appName)} message preview</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<div class="message">',
    `<div class="avatar">${escapeHtml(appName.slice(0, 2))}</div>`,
    '<div class="content">',
    `<div><span class="sender">${escapeHtml(appName)}</span><span class="badge">APP</span>${options.time === undefined ? '' : `<span class="time">${escapeHtml(options.time)}</span>`}</div>`,
    body,
    ...attachments,
    '</div>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
};
