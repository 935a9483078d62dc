import { Permission } from '@backstage/plugin-permission-common';
import { reasonProblem } from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { ReactNode, useState } from 'react';
import { useAllowed } from './ActionButton';

/** A field of a request form besides the reason. */
export interface RequestField {
  name: string;
  label: string;
  type: 'date' | 'number' | 'text';
  initial: string;
  helperText?: string;
  /** An error for the value, or undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

/**
 * A button that opens a form asking for a reason (and the given fields),
 * shown only to those allowed to make the request on this entity. The
 * request is sent on submit; its result or the backend's error stays in the
 * dialog until it is closed.
 */
export function RequestDialog(props: {
  buttonLabel: string;
  title: string;
  /** What the request does, in one or two sentences. */
  intro: ReactNode;
  permission: Permission;
  entityRef: string;
  fields: RequestField[];
  submit: (
    values: Record<string, string> & { reason: string },
  ) => Promise<ReactNode>;
  onDone?: () => void;
}) {
  const allowed = useAllowed({
    permission: props.permission,
    resourceRef: props.entityRef,
  });
  const initial = () =>
    Object.fromEntries([
      ['reason', ''],
      ...props.fields.map(f => [f.name, f.initial]),
    ]) as Record<string, string> & { reason: string };
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(initial);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<ReactNode>();
  const [error, setError] = useState<string>();
  if (!allowed) return null;

  // The backend's own rule, so the form refuses what the backend would.
  const problem = reasonProblem(values.reason);
  const reasonError = problem ? `The reason ${problem}.` : undefined;
  const fieldErrors = Object.fromEntries(
    props.fields.map(f => [f.name, f.validate?.(values[f.name])]),
  );
  const invalid =
    Boolean(reasonError) || Object.values(fieldErrors).some(Boolean);
  // The page reloads what the request changed once the dialog is closed:
  // reloading while it is open would unmount it (and its result) under the
  // user's eyes.
  const close = () => {
    if (result) props.onDone?.();
    setOpen(false);
    setResult(undefined);
    setError(undefined);
    setValues(initial());
  };
  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      setResult(await props.submit(values));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        sx={{ textTransform: 'none', whiteSpace: 'nowrap', mt: 0.5 }}
        onClick={() => setOpen(true)}
      >
        {props.buttonLabel}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>{props.title}</DialogTitle>
        <DialogContent>
          {props.intro}
          <TextField
            label="Reason"
            value={values.reason}
            onChange={e => setValues({ ...values, reason: e.target.value })}
            error={Boolean(values.reason) && Boolean(reasonError)}
            helperText={reasonError ?? ' '}
            multiline
            minRows={2}
            fullWidth
            margin="normal"
            disabled={Boolean(result)}
          />
          {props.fields.map(f => (
            <TextField
              key={f.name}
              label={f.label}
              type={f.type}
              value={values[f.name]}
              onChange={e => setValues({ ...values, [f.name]: e.target.value })}
              error={Boolean(fieldErrors[f.name])}
              helperText={fieldErrors[f.name] ?? f.helperText ?? ' '}
              fullWidth
              margin="normal"
              InputLabelProps={{ shrink: true }}
              disabled={Boolean(result)}
            />
          ))}
          {result && (
            <Alert severity="success" role="status">
              {result}
            </Alert>
          )}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{result ? 'Close' : 'Cancel'}</Button>
          {!result && (
            <Button
              variant="contained"
              onClick={send}
              disabled={invalid || sending}
              startIcon={sending ? <CircularProgress size={14} /> : undefined}
            >
              Send request
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
