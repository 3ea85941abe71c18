import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { GitopsServicePicker } from './GitopsServicePicker';
import { GitopsServicePickerSchema } from './schema';

/** `ui:field: GitopsServicePicker` in a template's parameters. */
export const gitopsServicePickerField = createFormField({
  name: 'GitopsServicePicker',
  component: GitopsServicePicker,
  schema: GitopsServicePickerSchema,
});
