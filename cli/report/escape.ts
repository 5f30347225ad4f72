const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text safe inside HTML/SVG element content and quoted attribute values. Hand-written (five
 * characters) rather than a dependency; names, reasons and errors come from users and AWS.
 */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
