/**
 * A folder chosen in the browser as one `.tar.gz`, the archive a deployment takes. Paths are
 * taken from `webkitRelativePath` without the chosen folder's own name, so its contents sit at
 * the archive's root.
 */
export async function packFolder(files: FileList, name = 'code.tar.gz'): Promise<File> {
  const parts: BlobPart[] = [];
  for (const file of Array.from(files)) {
    const path = (file.webkitRelativePath || file.name).split('/').slice(1).join('/') || file.name;
    parts.push(header(path, file.size, file.lastModified), file, new Uint8Array(padding(file.size)));
  }
  // Two empty blocks end a tar archive.
  parts.push(new Uint8Array(1024));
  const gzipped = new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'));
  return new File([await new Response(gzipped).blob()], name, { type: 'application/gzip' });
}

const BLOCK = 512;
const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** A ustar header of a regular file; a path over 100 bytes is split into prefix and name at a slash. */
function header(path: string, size: number, modifiedMs: number): Uint8Array<ArrayBuffer> {
  const block = new Uint8Array(BLOCK);
  const encoder = new TextEncoder();
  const put = (offset: number, length: number, text: string) => block.set(encoder.encode(text).subarray(0, length), offset);
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  let name = path;
  let prefix = '';
  if (encoder.encode(path).length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut > 0) [prefix, name] = [path.slice(0, cut), path.slice(cut + 1)];
  }
  put(0, 100, name);
  put(100, 8, octal(0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(Math.floor(modifiedMs / 1000), 12));
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar');
  put(263, 2, '00');
  put(345, 155, prefix);
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(148, 8, `${octal(sum, 7)}\0 `);
  return block;
}
