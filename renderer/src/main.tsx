import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Api } from '../../shared/ipc-contract';
import { App } from './App';
import { createWebSocketApi } from './websocket-api';
import './styles.css';

declare global {
  interface Window {
    api?: Api;
  }
}

// Under Electron the preload provides window.api; in the browser host the page connects itself.
const api = window.api ?? createWebSocketApi();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);
