import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { GitopsServicePickerProps } from './schema';
import { isTeamRef, teamServices } from './teamServices';

function helperText(
  teamRef: string | undefined,
  state: { loading: boolean; error?: Error; services?: string[] },
): string | undefined {
  if (!teamRef) return 'Choose the team first.';
  if (state.loading) return "Loading the team's services…";
  if (state.error) {
    return `The team's services could not be read: ${state.error.message}`;
  }
  if (state.services?.length === 0) {
    return `${teamRef} has no service in the GitOps repository.`;
  }
  return undefined;
}

/**
 * Offers the services of the team chosen in another field of the form
 * (`ui:options.teamField`, default `team`) and stores the chosen name.
 * A value that the chosen team does not have is cleared.
 */
export function GitopsServicePicker(props: GitopsServicePickerProps) {
  const { formData, onChange, uiSchema, schema, required } = props;
  const teamField = uiSchema?.['ui:options']?.teamField ?? 'team';
  const candidate = props.formContext?.formData?.[teamField];
  const teamRef = isTeamRef(candidate) ? candidate : undefined;
  const catalogApi = useApi(catalogApiRef);
  const {
    value: services,
    loading,
    error,
  } = useAsync(
    async (): Promise<string[]> =>
      teamRef ? teamServices(catalogApi, teamRef) : [],
    [catalogApi, teamRef],
  );

  useEffect(() => {
    if (!formData || loading || error) return;
    if (!teamRef || !services?.includes(formData)) {
      onChange(undefined);
    }
  }, [formData, onChange, teamRef, services, loading, error]);

  const options = (teamRef && services) || [];
  const help = helperText(teamRef, { loading, error, services });
  return (
    <ScaffolderField
      rawErrors={props.rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? schema.description}
      required={required}
      disabled={props.disabled}
      errors={props.errors}
    >
      <TextField
        select
        id={props.idSchema?.$id}
        label={schema.title ?? 'Service'}
        value={options.includes(formData ?? '') ? formData : ''}
        onChange={e => onChange(e.target.value || undefined)}
        disabled={props.disabled || options.length === 0}
        required={required}
        error={(props.rawErrors?.length ?? 0) > 0}
        helperText={help}
        variant="outlined"
        margin="dense"
        fullWidth
      >
        {options.map(service => (
          <MenuItem key={service} value={service}>
            {service}
          </MenuItem>
        ))}
      </TextField>
    </ScaffolderField>
  );
}
