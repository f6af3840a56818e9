/** The pages Plinth answers on a site's host when the site itself has nothing to show. */
export function plinthPage(status: number, title: string, detail: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} ${escape(title)}</title></head><body><h1>${status} ${escape(title)}</h1><p>${escape(detail)}</p></body></html>`;
}
