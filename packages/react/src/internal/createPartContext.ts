import { type Context, createContext, useContext } from 'react';

/** Context shared by a compound component's Root and its parts; `rootName` is for the misuse message. */
export function createPartContext<T>(rootName: string): Context<T | null> {
  const context = createContext<T | null>(null);
  context.displayName = rootName;
  return context;
}

/**
 * A part used outside its Root throws "`StudyList.Row` must be used within `StudyList.Root`" (the
 * Radix convention), so misuse fails at render with the part's name, not deep inside.
 */
export function usePartContext<T>(context: Context<T | null>, partName: string): T {
  const value = useContext(context);
  if (value === null) throw new Error(`\`${partName}\` must be used within \`${context.displayName}\``);
  return value;
}
