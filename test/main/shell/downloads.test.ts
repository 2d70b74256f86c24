// The window's downloads (main/shell/downloads.ts), with a stand-in for Electron's DownloadItem:
// only the page's own blobs are taken, each asks where to save, and its end reaches the page.
// test/e2e/electron-app.e2e.test.ts drives the same handler with Electron's own items.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { followDownloads, isOwnBlob, type DownloadDone, type DownloadItemLike } from '../../../main/shell/downloads';

const APP = 'app://renderer/index.html';
const DEV = 'http://localhost:5173/';
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

class FakeItem extends EventEmitter implements DownloadItemLike {
  cancelled = false;
  dialog: Parameters<DownloadItemLike['setSaveDialogOptions']>[0] | undefined;
  savePath = '';
  constructor(
    private readonly url: string,
    private readonly fileName: string,
  ) {
    super();
  }
  getURL = () => this.url;
  getFilename = () => this.fileName;
  getSavePath = () => this.savePath;
  setSaveDialogOptions = (options: FakeItem['dialog']) => void (this.dialog = options);
  cancel = () => void (this.cancelled = true);
  end(state: 'completed' | 'cancelled' | 'interrupted', savePath = ''): void {
    this.savePath = savePath;
    this.emit('done', {}, state);
  }
}

function follow(rendererUrl = APP) {
  const told: DownloadDone[] = [];
  const handle = followDownloads({ rendererUrl, defaultDir: '/home/someone/Downloads', done: (payload) => told.push(payload) });
  return { told, handle };
}

describe("the page's own blobs", () => {
  test('a blob of the app page, or of the dev server under electron-vite dev, is its own', () => {
    expect(isOwnBlob(`blob:app://renderer/${UUID}`, APP)).toBe(true);
    expect(isOwnBlob(`blob:http://localhost:5173/${UUID}`, DEV)).toBe(true);
  });

  test('another origin, another scheme, a plain URL, extra parts or junk is not', () => {
    for (const url of [
      `blob:https://evil.example/${UUID}`,
      `blob:app://other/${UUID}`,
      `blob:http://localhost:5174/${UUID}`,
      `blob:app://renderer/${UUID}/more`,
      `blob:app://renderer/${UUID}?x=1`,
      `blob:app://user@renderer/${UUID}`,
      `blob:app://renderer/not-a-uuid`,
      `app://renderer/${UUID}`,
      'https://example.com/export.json',
      'data:application/json,{}',
      'blob:',
      '',
    ]) {
      expect(isOwnBlob(url, APP) || isOwnBlob(url, DEV), url).toBe(false);
    }
  });
});

describe('a download the page starts', () => {
  test('asks where to save it, in the Downloads folder, as JSON; saved, the page hears the name chosen', () => {
    const { told, handle } = follow();
    const item = new FakeItem(`blob:app://renderer/${UUID}`, 'Notes.json');
    handle(item);
    expect(item.cancelled).toBe(false);
    expect(item.dialog).toEqual({
      title: 'Export records',
      defaultPath: join('/home/someone/Downloads', 'Notes.json'),
      filters: [{ name: 'JSON', extensions: ['json'] }],
    });
    expect(told).toEqual([]);
    item.end('completed', join('/home/someone/Documents', 'notes backup.json'));
    expect(told).toEqual([{ url: `blob:app://renderer/${UUID}`, fileName: 'notes backup.json', outcome: 'saved' }]);
  });

  test('cancelled in the dialog, or interrupted (a full disk, a folder it cannot write), the page hears so, once', () => {
    const { told, handle } = follow();
    const cancelled = new FakeItem(`blob:app://renderer/${UUID}`, 'Notes.json');
    const failed = new FakeItem(`blob:app://renderer/${UUID.replace('0f', '1f')}`, 'Keys.json');
    handle(cancelled);
    handle(failed);
    cancelled.end('cancelled');
    failed.end('interrupted', '/read-only/Keys.json');
    failed.end('completed', '/read-only/Keys.json');
    expect(told).toEqual([
      { url: cancelled.getURL(), fileName: 'Notes.json', outcome: 'cancelled' },
      { url: failed.getURL(), fileName: 'Keys.json', outcome: 'failed' },
    ]);
  });

  test('any other download is cancelled before it starts, and the page hears nothing of it', () => {
    const { told, handle } = follow();
    for (const url of ['https://example.com/setup.exe', `blob:https://evil.example/${UUID}`, 'data:text/plain,hello']) {
      const item = new FakeItem(url, 'file');
      handle(item);
      expect(item.cancelled, url).toBe(true);
      expect(item.dialog, url).toBeUndefined();
      item.end('cancelled');
    }
    expect(told).toEqual([]);
  });
});
