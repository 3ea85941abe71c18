import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * A service name (a plain string, so a template's own pattern and its
 * server-side checks apply as they would to a text field), and the form
 * field that holds the team (`teamField`, default `team`).
 */
export const GitopsServicePickerSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      teamField: z
        .string()
        .optional()
        .describe('The form field holding the team, default "team"'),
    }),
});

export type GitopsServicePickerProps = typeof GitopsServicePickerSchema.TProps;
