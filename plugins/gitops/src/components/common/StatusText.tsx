import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { ReactNode } from 'react';
import { Tone } from './argoCdStatus';

const ICONS: Record<Tone, (props: { children?: ReactNode }) => JSX.Element> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  unknown: StatusAborted,
};

/** A status word with the icon of its tone. */
export function StatusText(props: { tone: Tone; children: ReactNode }) {
  const Icon = ICONS[props.tone];
  return <Icon>{props.children}</Icon>;
}
