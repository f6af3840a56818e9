/** A small history router under /console: every page has its URL, and the back button works. */
export const BASE = '/console';

function currentPath(): string {
  const path = window.location.pathname.slice(BASE.length) || '/';
  return path.startsWith('/') ? path : `/${path}`;
}

export const route = $state({ path: currentPath(), search: window.location.search });

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${path}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  sync();
}

function sync(): void {
  route.path = currentPath();
  route.search = window.location.search;
}

window.addEventListener('popstate', sync);

/** A link inside the app: plain clicks stay in the page, the others (new tab, …) behave as usual. */
export function link(node: HTMLAnchorElement) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = node.getAttribute('href');
    if (!href || !href.startsWith(BASE)) return;
    event.preventDefault();
    navigate(href.slice(BASE.length) || '/');
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}

/** `/project/:id/keys` against a path: its parameters, or undefined when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(have[i]!);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

/** Like `match`, but the path may go on: the segments past the pattern come back as `rest`. */
export function matchStart(pattern: string, path: string): { params: Record<string, string>; rest: string[] } | undefined {
  const length = pattern.split('/').filter(Boolean).length;
  const have = path.split('/').filter(Boolean);
  const params = match(pattern, `/${have.slice(0, length).join('/')}`);
  return params && { params, rest: have.slice(length).map(decodeURIComponent) };
}
