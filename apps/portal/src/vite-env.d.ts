/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_PACSKIT_DICOMWEB_URL?: string;
  readonly VITE_PACSKIT_API_URL?: string;
  readonly VITE_PACSKIT_ORTHANC_URL?: string;
}
