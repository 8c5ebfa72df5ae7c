/**
 * Synthetic images with real geometry for the demo data: a 3-D head phantom (after Shepp & Logan,
 * as tabulated by Kak & Slaney, "Principles of Computerized Tomographic Imaging", 1988, ch. 3),
 * sampled as CT Hounsfield units or MR intensities, plus projection radiographs and an ultrasound
 * sector. Deterministic: the same arguments always give the same pixels.
 */

/** A small seeded PRNG (mulberry32), so the demo images are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tissues of the head phantom, each painted over the previous ones. */
export type HeadTissue = 'bone' | 'brain' | 'csf' | 'grey' | 'lesion' | 'calcification';

interface Ellipsoid {
  tissue: HeadTissue;
  center: [number, number, number];
  axes: [number, number, number];
  /** Rotation about the z axis, degrees. */
  angle: number;
}

/** Normalised coordinates: x left→right, y anterior→posterior, z foot→head, each in [-1, 1]. */
const head: readonly Ellipsoid[] = [
  { tissue: 'bone', center: [0, 0, 0], axes: [0.69, 0.92, 0.9], angle: 0 },
  { tissue: 'brain', center: [0, -0.0184, 0], axes: [0.6624, 0.874, 0.88], angle: 0 },
  { tissue: 'csf', center: [0.22, 0, -0.25], axes: [0.11, 0.31, 0.22], angle: -18 },
  { tissue: 'csf', center: [-0.22, 0, -0.25], axes: [0.16, 0.41, 0.28], angle: 18 },
  { tissue: 'grey', center: [0, 0.35, -0.25], axes: [0.21, 0.25, 0.41], angle: 0 },
  { tissue: 'lesion', center: [0.28, -0.45, 0.15], axes: [0.09, 0.07, 0.1], angle: 30 },
  { tissue: 'calcification', center: [-0.08, -0.605, 0], axes: [0.023, 0.023, 0.02], angle: 0 },
];

function tissueAt(x: number, y: number, z: number): HeadTissue | 'air' {
  let tissue: HeadTissue | 'air' = 'air';
  for (const e of head) {
    const radians = (e.angle * Math.PI) / 180;
    const dx = x - e.center[0];
    const dy = y - e.center[1];
    const u = dx * Math.cos(radians) + dy * Math.sin(radians);
    const v = -dx * Math.sin(radians) + dy * Math.cos(radians);
    const w = z - e.center[2];
    if ((u / e.axes[0]) ** 2 + (v / e.axes[1]) ** 2 + (w / e.axes[2]) ** 2 <= 1) tissue = e.tissue;
  }
  return tissue;
}

export interface HeadSliceOptions {
  size: number;
  /** Slice position in normalised coordinates, -1 (foot) to 1 (head). */
  z: number;
  /** Stored value for each tissue (and air). */
  values: Record<HeadTissue | 'air', number>;
  /** Standard deviation of the Gaussian noise added to every pixel. */
  noise: number;
  seed: number;
  maxValue: number;
}

/** One axial slice of the head phantom as unsigned 16-bit stored values. */
export function headSlice(options: HeadSliceOptions): Uint16Array {
  const { size, z, values, noise, maxValue } = options;
  const random = seededRandom(options.seed);
  const pixels = new Uint16Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (2 * column) / (size - 1) - 1;
      const y = (2 * row) / (size - 1) - 1;
      const base = values[tissueAt(x, y, z)];
      const value = base + gaussian(random) * noise;
      pixels[row * size + column] = clamp(Math.round(value), 0, maxValue);
    }
  }
  return pixels;
}

/** Box–Muller: one standard normal sample. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** A PA chest radiograph (12-bit, MONOCHROME2: lungs dark, bone and mediastinum bright). */
export function chestRadiograph(size: number, seed: number): Uint16Array {
  const random = seededRandom(seed);
  const pixels = new Uint16Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (2 * column) / (size - 1) - 1;
      const y = (2 * row) / (size - 1) - 1;
      let value = 300; // outside the body
      const body = (x / 0.85) ** 2 + ((y - 0.1) / 1.05) ** 2 <= 1;
      if (body) value = 2300;
      const lung = (side: number) =>
        ((x - side * 0.38) / 0.3) ** 2 + ((y + 0.05) / 0.62) ** 2 <= 1 && y < 0.45;
      if (body && (lung(1) || lung(-1))) {
        value = 900;
        // Ribs: bright arcs across each lung field.
        const arc = (y + 0.6 + 0.18 * (x * x)) * 9;
        if (Math.abs(arc - Math.round(arc)) < 0.12) value = 1700;
      }
      if (body && Math.abs(x) < 0.09) value = 3000; // spine and mediastinum
      if (body && ((x + 0.08) / 0.22) ** 2 + ((y - 0.18) / 0.25) ** 2 <= 1) value = 2700; // heart
      value += gaussian(random) * 40;
      pixels[row * size + column] = clamp(Math.round(value), 0, 4095);
    }
  }
  return pixels;
}

/** A lateral knee radiograph (12-bit): femur, tibia, patella in soft tissue. */
export function kneeRadiograph(size: number, seed: number): Uint16Array {
  const random = seededRandom(seed);
  const pixels = new Uint16Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (2 * column) / (size - 1) - 1;
      const y = (2 * row) / (size - 1) - 1;
      let value = 250;
      if (Math.abs(x) < 0.55) value = 1600; // soft tissue
      const femur = (Math.abs(x) < 0.22 && y < -0.1) || (x / 0.32) ** 2 + ((y + 0.12) / 0.16) ** 2 <= 1;
      const tibia =
        (Math.abs(x + 0.02) < 0.2 && y > 0.12) || ((x + 0.02) / 0.3) ** 2 + ((y - 0.14) / 0.08) ** 2 <= 1;
      const patella = ((x - 0.38) / 0.08) ** 2 + ((y + 0.08) / 0.16) ** 2 <= 1;
      if (femur || tibia || patella) value = 3100;
      // Cortex brighter than the medullary cavity.
      if ((Math.abs(x) < 0.14 && y < -0.3) || (Math.abs(x + 0.02) < 0.12 && y > 0.3)) value = 2500;
      value += gaussian(random) * 35;
      pixels[row * size + column] = clamp(Math.round(value), 0, 4095);
    }
  }
  return pixels;
}

/** A B-mode ultrasound sector (8-bit): speckle, a bright capsule and an anechoic cyst. */
export function ultrasoundSector(columns: number, rows: number, seed: number, cystShift: number): Uint8Array {
  const random = seededRandom(seed);
  const pixels = new Uint8Array(columns * rows);
  const apexX = columns / 2;
  const apexY = 20;
  const depth = rows - 40;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const dx = column - apexX;
      const dy = row - apexY;
      const radius = Math.hypot(dx, dy);
      const angle = Math.atan2(dx, dy);
      if (dy <= 0 || radius > depth || Math.abs(angle) > 0.6) continue;
      const rayleigh = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12)));
      const attenuation = 1 - (0.5 * radius) / depth;
      let echo = 70 * rayleigh * attenuation;
      if (Math.abs(radius - depth * 0.3) < 3) echo += 120; // capsule
      const cyst = ((column - apexX - cystShift) / 45) ** 2 + ((row - apexY - depth * 0.6) / 32) ** 2;
      if (cyst <= 1) echo *= 0.08;
      else if (cyst <= 1.15 && row > apexY + depth * 0.6) echo += 60; // posterior enhancement
      pixels[row * columns + column] = clamp(Math.round(echo), 0, 255);
    }
  }
  return pixels;
}
