/** Copies a canvas into a 2D one and counts pixels brighter than `threshold` (any channel). */
export function countBrightPixels(source: HTMLCanvasElement, threshold = 16): number {
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext('2d');
  if (context === null) throw new Error('no 2D context');
  context.drawImage(source, 0, 0);
  const { data } = context.getImageData(0, 0, copy.width, copy.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i] ?? 0) > threshold || (data[i + 1] ?? 0) > threshold || (data[i + 2] ?? 0) > threshold)
      count++;
  }
  return count;
}

/** A simple fingerprint of what the canvas shows: the sum of its red channel. */
export function canvasLuminance(source: HTMLCanvasElement): number {
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext('2d');
  if (context === null) throw new Error('no 2D context');
  context.drawImage(source, 0, 0);
  const { data } = context.getImageData(0, 0, copy.width, copy.height);
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += data[i] ?? 0;
  return sum;
}
