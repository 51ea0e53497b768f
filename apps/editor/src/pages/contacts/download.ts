import { ApiError, readHeaders } from '../../api/client';

/** Downloads a CSV export with the caller's credentials (a plain link could not send the API key). */
export async function downloadCsv(path: string, fileName: string): Promise<void> {
  const res = await fetch(path, { headers: readHeaders(), credentials: 'same-origin' });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(
      res.status,
      e.error ?? `http_${res.status}`,
      e.message ?? `GET ${path} answered ${res.status}`,
    );
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
