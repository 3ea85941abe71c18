import { parseUnifiedDiff } from './parseDiff';

const PATCH = `diff --git a/services/team-payments/api/overlays/prod/kustomization.yaml b/services/team-payments/api/overlays/prod/kustomization.yaml
index 1111111..2222222 100644
--- a/services/team-payments/api/overlays/prod/kustomization.yaml
+++ b/services/team-payments/api/overlays/prod/kustomization.yaml
@@ -3,4 +3,4 @@ resources:
   - ../../base
 images:
   - name: api
-    newTag: "1.2.2"
+    newTag: "1.2.3"
@@ -20,2 +20,3 @@ patches:
   - path: replicas.yaml
+  - path: limits.yaml
\\ No newline at end of file
`;

describe('parseUnifiedDiff', () => {
  it('numbers lines from the hunk headers and counts changes', () => {
    const diff = parseUnifiedDiff(PATCH);
    expect(diff.binary).toBe(false);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(1);
    expect(diff.hunks.map(h => h.header)).toEqual([
      '@@ -3,4 +3,4 @@ resources:',
      '@@ -20,2 +20,3 @@ patches:',
    ]);
    expect(diff.hunks[0].lines).toEqual([
      { kind: 'context', text: '  - ../../base', oldLine: 3, newLine: 3 },
      { kind: 'context', text: 'images:', oldLine: 4, newLine: 4 },
      { kind: 'context', text: '  - name: api', oldLine: 5, newLine: 5 },
      { kind: 'removed', text: '    newTag: "1.2.2"', oldLine: 6 },
      { kind: 'added', text: '    newTag: "1.2.3"', newLine: 6 },
    ]);
    expect(diff.hunks[1].lines).toEqual([
      {
        kind: 'context',
        text: '  - path: replicas.yaml',
        oldLine: 20,
        newLine: 20,
      },
      { kind: 'added', text: '  - path: limits.yaml', newLine: 21 },
      { kind: 'note', text: 'No newline at end of file' },
    ]);
  });

  it('leaves the file headers out, even lines that look like changes', () => {
    const diff = parseUnifiedDiff(
      'diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+kind: Namespace\n',
    );
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(0);
    expect(diff.hunks[0].lines).toEqual([
      { kind: 'added', text: 'kind: Namespace', newLine: 1 },
    ]);
  });

  it('has no hunks for a binary file or an empty patch', () => {
    expect(
      parseUnifiedDiff(
        'diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n',
      ),
    ).toEqual({ hunks: [], added: 0, removed: 0, binary: true });
    expect(parseUnifiedDiff('').binary).toBe(true);
  });

  it("keeps the backend's note that a long diff was cut", () => {
    const diff = parseUnifiedDiff(
      '@@ -1 +1 @@\n-a\n+b\n… (cut at 200000 characters)\n',
    );
    expect(diff.hunks[0].lines.at(-1)).toEqual({
      kind: 'note',
      text: '… (cut at 200000 characters)',
    });
  });
});
