import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';
import type {
  DimseQueryLevel,
  DimseRetrieveOptions,
  DimseSearchOptions,
  DimseServices,
  DimseStoreOutcome,
  StoredInstanceRef,
} from '../dimseServices.js';

/**
 * A test double of the archive behind the DIMSE front end: instances in memory, parsed with dcmjs,
 * and a deliberately small matcher (single value, `*`/`?` wildcards, `a-b` ranges, lists) standing
 * in for @pacskit/dicom's matching, which the real QueryService uses.
 */
interface DicomDict {
  dict: Record<string, { vr: string; Value?: unknown[] }>;
}
const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict } };
};

export interface MemoryInstance extends StoredInstanceRef {
  bytes: Buffer;
  attributes: DicomJsonDataset;
}

const patientTags = ['00100010', '00100020', '00100030', '00100040'];
const studyTags = ['0020000D', '00080020', '00080030', '00080050', '00081030', '00200010', '00080090'];
const seriesTags = ['0020000E', '00080060', '00200011', '0008103E'];

function first(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && 'Alphabetic' in value) return String(value.Alphabetic ?? '');
  return undefined;
}

function matchesOne(key: string, vr: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if ((vr === 'DA' || vr === 'TM' || vr === 'DT') && key.includes('-')) {
    const [low, high] = key.split('-');
    return (!low || actual >= low) && (!high || actual <= high);
  }
  if (key.includes('*') || key.includes('?')) {
    const pattern = key
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${pattern}$`).test(actual);
  }
  return key === actual;
}

export function matches(keys: DicomJsonDataset, dataset: DicomJsonDataset): boolean {
  for (const [tag, key] of Object.entries(keys)) {
    if (!key.Value || key.Value.length === 0 || key.vr === 'SQ') continue;
    const wanted = key.Value.map((value) =>
      value && typeof value === 'object' && 'Alphabetic' in value
        ? String(value.Alphabetic ?? '')
        : String(value),
    );
    if (wanted.every((value) => value === '')) continue;
    const actualValues = (dataset[tag]?.Value ?? []).map((value) =>
      value && typeof value === 'object' && 'Alphabetic' in value
        ? String(value.Alphabetic ?? '')
        : String(value),
    );
    if (!wanted.some((want) => actualValues.some((actual) => matchesOne(want, key.vr, actual)))) return false;
  }
  return true;
}

function pick(dataset: DicomJsonDataset, tags: readonly string[]): Record<string, DicomJsonAttribute> {
  const result: Record<string, DicomJsonAttribute> = {};
  for (const tag of tags) {
    const attribute = dataset[tag];
    if (attribute) result[tag] = attribute;
  }
  return result;
}

export class MemoryDimseServices implements DimseServices {
  readonly instances = new Map<string, MemoryInstance>();
  storeCalls = 0;
  /** Set to make the next store fail with this error (after reading the whole stream). */
  failNextStore: PacsError | undefined;

  async storeInstance(options: Parameters<DimseServices['storeInstance']>[0]): Promise<DimseStoreOutcome> {
    this.storeCalls += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of options.stream) chunks.push(chunk as Buffer);
    if (options.signal.aborted) throw new PacsError('ABORTED');
    if (this.failNextStore) {
      const failure = this.failNextStore;
      this.failNextStore = undefined;
      return { status: 'failed', failure };
    }
    const bytes = Buffer.concat(chunks);
    let parsed: DicomDict;
    try {
      const copy = new Uint8Array(bytes).buffer;
      parsed = dcmjs.data.DicomMessage.readFile(copy, { untilTag: '7FE00010', ignoreErrors: true });
    } catch (cause) {
      return { status: 'failed', failure: new PacsError('DICOM_PARSE_ERROR', 'unreadable', { cause }) };
    }
    const attributes = parsed.dict as unknown as DicomJsonDataset;
    const meta = (parsed as unknown as { meta: DicomJsonDataset }).meta;
    const instance: MemoryInstance = {
      studyInstanceUID: first(attributes, '0020000D') ?? '',
      seriesInstanceUID: first(attributes, '0020000E') ?? '',
      sopInstanceUID: first(attributes, '00080018') ?? '',
      sopClassUID: first(attributes, '00080016') ?? '',
      transferSyntaxUID: first(meta, '00020010') ?? '',
      bytes,
      attributes,
    };
    this.instances.set(instance.sopInstanceUID, instance);
    return {
      status: 'stored',
      sopClassUID: instance.sopClassUID,
      sopInstanceUID: instance.sopInstanceUID,
      studyInstanceUID: instance.studyInstanceUID,
    };
  }

  async search(options: DimseSearchOptions): Promise<DicomJsonDataset[]> {
    const levelTags: Record<DimseQueryLevel, readonly string[]> = {
      PATIENT: patientTags,
      STUDY: [...patientTags, ...studyTags],
      SERIES: [...patientTags, ...studyTags, ...seriesTags],
      IMAGE: [...patientTags, ...studyTags, ...seriesTags, '00080018', '00080016', '00200013'],
    };
    const uniqueTag: Record<DimseQueryLevel, string> = {
      PATIENT: '00100020',
      STUDY: '0020000D',
      SERIES: '0020000E',
      IMAGE: '00080018',
    };
    const groups = new Map<string, DicomJsonDataset>();
    for (const instance of this.instances.values()) {
      if (!matches(options.keys, instance.attributes)) continue;
      const id = first(instance.attributes, uniqueTag[options.level]) ?? '';
      if (groups.has(id)) continue;
      groups.set(id, pick(instance.attributes, levelTags[options.level]));
    }
    return [...groups.values()];
  }

  async listInstances(options: DimseRetrieveOptions): Promise<MemoryInstance[]> {
    return [...this.instances.values()].filter(
      (instance) =>
        (!options.studyInstanceUID || instance.studyInstanceUID === options.studyInstanceUID) &&
        (!options.seriesInstanceUID || instance.seriesInstanceUID === options.seriesInstanceUID) &&
        (!options.sopInstanceUIDs || options.sopInstanceUIDs.includes(instance.sopInstanceUID)) &&
        (!options.patientID || first(instance.attributes, '00100020') === options.patientID),
    );
  }

  async openInstance(options: { instance: StoredInstanceRef }): Promise<Readable> {
    const stored = this.instances.get(options.instance.sopInstanceUID);
    if (!stored) throw new PacsError('NOT_FOUND');
    // Small chunks, so streaming is exercised even for small test files.
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < stored.bytes.length; offset += 4096) {
      chunks.push(stored.bytes.subarray(offset, offset + 4096));
    }
    return Readable.from(chunks);
  }

  async findStoredInstances(options: {
    references: readonly { sopClassUID: string; sopInstanceUID: string }[];
  }): Promise<ReadonlySet<string>> {
    return new Set(
      options.references
        .filter(
          (reference) => this.instances.get(reference.sopInstanceUID)?.sopClassUID === reference.sopClassUID,
        )
        .map((reference) => reference.sopInstanceUID),
    );
  }
}
