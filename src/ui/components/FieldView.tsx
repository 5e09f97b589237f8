// A text field as drawn: the value, and the cursor as an inverted cell when colour is on (under
// NO_COLOR, no escape codes at all: the value alone).
import { Text } from 'ink';

export function FieldView({ value, cursor, showCursor }: { value: string; cursor: number; showCursor: boolean }) {
  if (!showCursor) return <Text>{value}</Text>;
  const chars = Array.from(value);
  return (
    <Text>
      {chars.slice(0, cursor).join('')}
      <Text inverse>{chars[cursor] ?? ' '}</Text>
      {chars.slice(cursor + 1).join('')}
    </Text>
  );
}
