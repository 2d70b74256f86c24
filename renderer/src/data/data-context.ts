// The data client reaches every screen through context, so screens take no `run` or version props.
import { createContext, useContext } from 'react';
import type { DataClient } from './data-client';

export const DataContext = createContext<DataClient | undefined>(undefined);

export function useData(): DataClient {
  const client = useContext(DataContext);
  if (client === undefined) throw new Error('useData outside <DataContext.Provider>');
  return client;
}
