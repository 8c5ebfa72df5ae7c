/** A `data:` URL for image bytes: no object URL to revoke, and safe to render on the server. */
export function toDataUrl(contentType: string, data: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let offset = 0; offset < data.length; offset += chunk) {
    binary += String.fromCharCode(...data.subarray(offset, offset + chunk));
  }
  return `data:${contentType};base64,${btoa(binary)}`;
}
