import fs from 'node:fs';
import path from 'node:path';
import { gitopsConfig } from '../__testUtils__/fixtures';
import { scanFolders } from '../provider/gitReads';
import { mapCatalogFile } from './mapCatalogFile';

const templates = path.resolve(__dirname, '../../../../templates');

/** Every file of a folder, relative to it. */
function filesOf(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry =>
      path
        .relative(dir, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join('/'),
    );
}

/** The expected/ trees of the golden paths' fixtures: what they write. */
const expectedTrees = fs
  .readdirSync(templates)
  .flatMap(template => {
    const fixtures = path.join(templates, template, 'fixtures');
    return fs.existsSync(fixtures)
      ? fs.readdirSync(fixtures).map(f => path.join(fixtures, f, 'expected'))
      : [];
  })
  .filter(dir => fs.existsSync(dir));

describe("the golden paths' catalog-info.yaml files", () => {
  it.each(expectedTrees.map(dir => [path.relative(templates, dir), dir]))(
    'are taken whole by the provider: %s',
    async (_name, dir) => {
      for (const scan of scanFolders(filesOf(dir)).values()) {
        if (!scan.file) continue;
        const result = await mapCatalogFile(
          {
            path: scan.file,
            folder: scan.folder,
            environments: scan.environments,
            content: fs.readFileSync(path.join(dir, scan.file), 'utf8'),
          },
          gitopsConfig(),
        );
        expect(result).toMatchObject({ ok: true });
      }
    },
  );

  it('include every kind of folder', () => {
    const files = expectedTrees.flatMap(filesOf);
    for (const top of ['teams/', 'services/', 'databases/']) {
      expect(
        files.some(f => f.startsWith(top) && f.endsWith('/catalog-info.yaml')),
      ).toBe(true);
    }
  });
});
