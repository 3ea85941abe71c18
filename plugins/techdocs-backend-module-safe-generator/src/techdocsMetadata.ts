import fs from 'node:fs/promises';
import path from 'node:path';

const METADATA_FILE = 'techdocs_metadata.json';

/**
 * Writes techdocs_metadata.json into the built site, as the stock generator
 * and the techdocs-core plugin do together: the site's name and description
 * for the reader's header, the build time and file list the publisher and
 * cache use, and the source's etag. Any file of that name that the sources
 * carried is replaced.
 */
export async function writeTechdocsMetadata(
  outputDir: string,
  site: { config: Record<string, unknown>; etag?: string },
): Promise<void> {
  const entries = await fs.readdir(outputDir, {
    recursive: true,
    withFileTypes: true,
  });
  const files = entries
    .filter(entry => entry.isFile())
    .map(entry =>
      path
        .relative(outputDir, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join('/'),
    )
    .filter(file => file !== METADATA_FILE);
  const { site_name, site_description } = site.config;
  const metadata = {
    site_name,
    site_description:
      typeof site_description === 'string' ? site_description : '',
    build_timestamp: Date.now(),
    files: [...files, METADATA_FILE].sort(),
    ...(site.etag ? { etag: site.etag } : {}),
  };
  await fs.writeFile(
    path.join(outputDir, METADATA_FILE),
    JSON.stringify(metadata),
  );
}
