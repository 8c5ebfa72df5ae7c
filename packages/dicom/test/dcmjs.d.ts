// dcmjs ships no type declarations; this declares only the part PacsKit uses (the data dictionary).
declare module 'dcmjs' {
  interface DcmjsDictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
    version?: string;
  }
  const dcmjs: {
    data: {
      DicomMetaDictionary: {
        nameMap: Record<string, DcmjsDictionaryEntry>;
        dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
      };
    };
  };
  // biome-ignore lint/style/noDefaultExport: dcmjs is published with a default export.
  export default dcmjs;
}
