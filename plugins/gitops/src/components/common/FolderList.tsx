import Typography from '@material-ui/core/Typography';
import Tooltip from '@material-ui/core/Tooltip';

/** The layout folders a change touches; its paths on hover. */
export function FolderList(props: { folders: string[]; paths: string[] }) {
  const shown = props.folders.length > 0 ? props.folders : props.paths;
  return (
    <Tooltip title={props.paths.join('\n')}>
      <div>
        {shown.map(folder => (
          <Typography
            key={folder}
            variant="body2"
            component="div"
            style={{ fontFamily: 'monospace' }}
          >
            {folder}
          </Typography>
        ))}
      </div>
    </Tooltip>
  );
}
