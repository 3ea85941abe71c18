import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ChangeRequestFile } from '@internal/plugin-gitops-common';
import { useMemo } from 'react';
import { DiffTable } from './DiffTable';
import { parseUnifiedDiff } from './parseDiff';

/** Longer diffs start folded, so a big change does not bury the others. */
const OPEN_UP_TO_LINES = 400;

/** One file of a change request: its path, status and diff, collapsible. */
export function FileDiff(props: { file: ChangeRequestFile }) {
  const { file } = props;
  const diff = useMemo(() => parseUnifiedDiff(file.patch), [file.patch]);
  const lineCount = diff.hunks.reduce((n, h) => n + h.lines.length, 0);
  return (
    <Accordion
      defaultExpanded={lineCount <= OPEN_UP_TO_LINES}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
          <Chip size="small" label={file.status} style={{ margin: 0 }} />
          <Typography style={{ fontFamily: 'monospace' }}>
            {file.path}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            +{diff.added} −{diff.removed}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails style={{ display: 'block', overflowX: 'auto' }}>
        {diff.binary ? (
          <Typography variant="body2" color="textSecondary">
            No text to show: a binary file, or a change of mode only.
          </Typography>
        ) : (
          <DiffTable hunks={diff.hunks} />
        )}
      </AccordionDetails>
    </Accordion>
  );
}
