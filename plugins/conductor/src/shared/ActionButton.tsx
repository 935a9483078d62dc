import { usePermission } from '@backstage/plugin-permission-react';
import {
  Permission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import { ReactNode, useState } from 'react';

/**
 * Who may press the button: a permission, and the entity it is about. The
 * entity is passed to the policy when the permission is an entity one.
 */
export interface ActionPermission {
  permission: Permission;
  resourceRef?: string;
}

/** Whether the signed-in user may do it; false while the answer is pending. */
export function useAllowed(props: ActionPermission): boolean {
  const access = usePermission(
    isResourcePermission(props.permission)
      ? { permission: props.permission, resourceRef: props.resourceRef }
      : { permission: props.permission },
  );
  return !access.loading && access.allowed;
}

type State =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; message: ReactNode }
  | { kind: 'failed'; message: string };

/**
 * A button for one action against the conductor backend, shown only to
 * those the permission policy allows. While the action runs the button
 * shows progress and cannot be pressed again; when it finishes, the result
 * (or the backend's error) is shown under it.
 */
export function ActionButton(
  props: ActionPermission & {
    label: string;
    /** Runs the action; what it resolves to is shown as the result. */
    run: () => Promise<ReactNode>;
    /** Called after a successful run, e.g. to reload the view. */
    onDone?: () => void;
    variant?: 'contained' | 'outlined' | 'text';
    color?: 'primary' | 'error';
  },
) {
  const allowed = useAllowed(props);
  const [state, setState] = useState<State>({ kind: 'idle' });
  if (!allowed) return null;
  const press = async () => {
    setState({ kind: 'running' });
    try {
      const message = await props.run();
      setState({ kind: 'done', message });
      props.onDone?.();
    } catch (e) {
      setState({ kind: 'failed', message: (e as Error).message });
    }
  };
  const running = state.kind === 'running';
  return (
    <Box component="span" sx={{ display: 'inline-block', mr: 1, mb: 1 }}>
      <Button
        size="small"
        sx={{ textTransform: 'none', whiteSpace: 'nowrap' }}
        variant={props.variant ?? 'outlined'}
        color={props.color ?? 'primary'}
        disabled={running}
        onClick={press}
        startIcon={running ? <CircularProgress size={14} /> : undefined}
      >
        {props.label}
      </Button>
      {state.kind === 'done' && (
        <Alert severity="success" sx={{ mt: 1 }} role="status">
          {state.message}
        </Alert>
      )}
      {state.kind === 'failed' && (
        <Alert severity="error" sx={{ mt: 1 }} role="alert">
          {state.message}
        </Alert>
      )}
    </Box>
  );
}
