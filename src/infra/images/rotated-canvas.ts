export interface CanvasSize {
  width: number;
  height: number;
}

/**
 * The canvas an image turned by `degrees` (clockwise) gets in Appwrite's previews. Quarter turns
 * keep or swap the sides. Other angles are fitted as ImageMagick's rotation fits them: the turned
 * corners' bounds, widened to whole pixels with half a pixel of slack on each side, so a 300×100
 * image turned 45° is 284×284 where the exact fit (282.8) rounds to 283.
 */
export function rotatedCanvas(width: number, height: number, degrees: number): CanvasSize {
  if (degrees % 90 === 0) return degrees % 180 === 0 ? { width, height } : { width: height, height: width };
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width / 2, height / 2];
  const corners = [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ].map(([x, y]) => [cx + cos * (x! - cx) - sin * (y! - cy), cy + sin * (x! - cx) + cos * (y! - cy)] as const);
  return {
    width: slackFit(corners.map(([x]) => x)),
    height: slackFit(corners.map(([, y]) => y)),
  };
}

/** Whole pixels from half a pixel before the lowest coordinate to half a pixel past the highest. */
function slackFit(coordinates: number[]): number {
  const start = Math.floor(Math.min(...coordinates) - 0.5);
  return Math.ceil(Math.max(...coordinates) - start + 0.5);
}
