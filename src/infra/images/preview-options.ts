/** Where a crop keeps the picture when both sides of a preview are fixed. */
export const PREVIEW_GRAVITIES = ['center', 'top-left', 'top', 'top-right', 'left', 'right', 'bottom-left', 'bottom', 'bottom-right'] as const;
export type PreviewGravity = (typeof PREVIEW_GRAVITIES)[number];

/** The formats a preview can be encoded to (`jpg` is an alias of `jpeg`). */
export const PREVIEW_OUTPUTS = ['jpg', 'jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type PreviewOutput = (typeof PREVIEW_OUTPUTS)[number];
export type PreviewFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

/** One preview request, already validated; zero or empty means "leave as it is". */
export interface PreviewOptions {
  /** 0: follow the height (or keep the original size when both are 0). */
  width: number;
  height: number;
  gravity: PreviewGravity;
  /** 0–100, or -1 for the encoder's default. */
  quality: number;
  borderWidth: number;
  /** Hex without `#`, 3 or 6 digits; empty: black. */
  borderColor: string;
  borderRadius: number;
  /** 0–1; below 1 makes the image see-through (kept only by formats with alpha). */
  opacity: number;
  /** Degrees clockwise, -360…360. */
  rotation: number;
  /** Hex without `#`: fills transparent pixels; empty keeps them transparent. */
  background: string;
  /** Empty: the source's own format when it can be written, else JPEG. */
  output: PreviewOutput | '';
}

export const DEFAULT_PREVIEW_OPTIONS: PreviewOptions = {
  width: 0,
  height: 0,
  gravity: 'center',
  quality: -1,
  borderWidth: 0,
  borderColor: '',
  borderRadius: 0,
  opacity: 1,
  rotation: 0,
  background: '',
  output: '',
};

export const PREVIEW_CONTENT_TYPES: Record<PreviewFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};
