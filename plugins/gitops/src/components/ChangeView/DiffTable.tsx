import { alpha, makeStyles } from '@material-ui/core/styles';
import { Fragment } from 'react';
import { DiffHunk, DiffLine } from './parseDiff';

const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    fontFamily: 'monospace',
    fontSize: theme.typography.pxToRem(12.5),
    lineHeight: 1.5,
  },
  number: {
    width: '1%',
    minWidth: '3.5em',
    padding: theme.spacing(0, 1),
    textAlign: 'right',
    color: theme.palette.text.secondary,
    userSelect: 'none',
    verticalAlign: 'top',
  },
  sign: {
    width: '1%',
    padding: theme.spacing(0, 0.5),
    userSelect: 'none',
    verticalAlign: 'top',
  },
  code: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    padding: theme.spacing(0, 1),
  },
  added: {
    backgroundColor: alpha(theme.palette.success.main, 0.16),
    '& $sign': { color: theme.palette.success.dark },
  },
  removed: {
    backgroundColor: alpha(theme.palette.error.main, 0.16),
    '& $sign': { color: theme.palette.error.dark },
  },
  context: {},
  note: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  hunk: {
    backgroundColor: alpha(theme.palette.info.main, 0.1),
    color: theme.palette.text.secondary,
  },
}));

const SIGNS: Record<DiffLine['kind'], string> = {
  added: '+',
  removed: '-',
  context: ' ',
  note: '',
};

function Line(props: { line: DiffLine }) {
  const classes = useStyles();
  const { line } = props;
  const oldLine = 'oldLine' in line ? line.oldLine : '';
  const newLine = 'newLine' in line ? line.newLine : '';
  return (
    <tr className={classes[line.kind]} data-kind={line.kind}>
      <td className={classes.number}>{oldLine}</td>
      <td className={classes.number}>{newLine}</td>
      <td className={classes.sign} aria-hidden>
        {SIGNS[line.kind]}
      </td>
      <td className={classes.code}>{line.text}</td>
    </tr>
  );
}

/**
 * The hunks of one file as a table: line numbers in the old and new
 * file, added lines in green, removed lines in red. The text is the
 * diff's own, rendered as text, never as markup.
 */
export function DiffTable(props: { hunks: DiffHunk[] }) {
  const classes = useStyles();
  return (
    <table className={classes.table}>
      <tbody>
        {props.hunks.map((hunk, h) => (
          <Fragment key={h}>
            <tr className={classes.hunk}>
              <td className={classes.number}>…</td>
              <td className={classes.number}>…</td>
              <td className={classes.sign} />
              <td className={classes.code}>{hunk.header}</td>
            </tr>
            {hunk.lines.map((line, i) => (
              <Line key={i} line={line} />
            ))}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
