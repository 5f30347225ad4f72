import { helpBlocks, helpText } from '../../../core/chat/help';
import { CHAT_COMMANDS } from '../../../core/chat-commands';

describe('helpText', () => {
  it('lists every command with its arguments, the options and examples', () => {
    const text = helpText();

    for (const command of CHAT_COMMANDS) expect(text).toContain(`/clustershift ${command}`);
    expect(text).toContain('/clustershift drain <cluster> <reason> [options]');
    expect(text).toContain('--pause-before <steps>');
    expect(text).toContain('/clustershift shift blue=20,green=80 canary of green');
  });

  it('marks what this user may run and names it', () => {
    const text = helpText({ allowed: ['status', 'help'], slashCommand: '/cs' });

    expect(text).toContain('✓ /cs status');
    expect(text).toContain('✗ /cs drain');
    expect(text).toContain('You may run: status, help');
  });

  it('puts a note first', () => {
    expect(helpText({ note: 'unknown command "x"' }).split('\n')[0]).toBe('unknown command "x"');
  });
});

describe('helpBlocks', () => {
  it('escapes the note and the usage text, and fits each section without a cut', () => {
    const blocks = helpBlocks({ note: 'unknown command "<!channel>"' });

    const texts = blocks.flatMap((block) =>
      block.type === 'section' && block.text ? [block.text.text] : [],
    );
    expect(texts[0]).toBe('unknown command "&lt;!channel&gt;"');
    expect(texts.join('\n')).toContain('`/clustershift drain &lt;cluster&gt; &lt;reason&gt; [options]`');
    for (const text of texts) expect(text.endsWith('…')).toBe(false);
  });

  it('ends with what the user may run when the list is given', () => {
    expect(helpBlocks({ allowed: [] }).at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'You may run: nothing (✓ above).' }],
    });
  });
});
