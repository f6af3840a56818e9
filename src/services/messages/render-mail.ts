import type { MailTemplateText } from './templates.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function fill(text: string, variables: Record<string, string>): string {
  // An unknown placeholder renders empty rather than leaking `{{…}}` to the reader.
  return text.replace(PLACEHOLDER, (_, name: string) => variables[name] ?? '');
}

/** A link only for web addresses: a `javascript:` value stays inert text. */
function htmlValue(name: string, value: string): string {
  const escaped = escapeHtml(value);
  return name === 'url' && /^https?:\/\//i.test(value) ? `<a href="${escaped}">${escaped}</a>` : escaped;
}

/**
 * Fills a template (built in, or a project's override) into a subject, a text part and an
 * HTML part. In HTML every value is escaped, and `url` becomes a link.
 */
export function renderMail(template: MailTemplateText, variables: Record<string, string>): RenderedMail {
  const subject = fill(template.subject, variables).replace(/[\r\n]+/g, ' ').trim();
  const text = fill(template.message, variables);
  const paragraphs = template.message.split(/\n\s*\n/).map((paragraph) => {
    const parts = paragraph.split(PLACEHOLDER);
    // split() with a capture group alternates literal text and placeholder names.
    const inner = parts
      .map((part, i) => (i % 2 === 0 ? escapeHtml(part) : htmlValue(part, variables[part] ?? '')))
      .join('')
      .trim()
      .replace(/\n/g, '<br>\n');
    return `<p>${inner}</p>`;
  });
  const html = `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs.join('\n')}\n</body></html>\n`;
  return { subject, text, html };
}
