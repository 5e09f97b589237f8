// Long work (build, copy, activation, health retries): a spinner, the elapsed time and the last
// redacted output line. The full output is one key away (Ctrl-O).
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';

export function Progress({ label, startedAt, lastLine, width }: { label: string; startedAt: number; lastLine: string; width: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const secs = Math.max(0, Math.floor((now - startedAt) / 1000));
  const text = `${secs}s ${label}${lastLine ? ` · ${lastLine.trim()}` : ''}`;
  const room = width - 3;
  return (
    <Box>
      <Text>
        <Spinner type="line" />{' '}
      </Text>
      <Text>{text.length > room ? `${text.slice(0, room - 1)}…` : text}</Text>
    </Box>
  );
}
