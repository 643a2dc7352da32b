/**
 * UpdaterPort on electron-updater's AppUpdater (autoUpdater in the app; a real AppUpdater with a
 * stand-in app adapter in tests). Only its documented API is used, and nothing here imports
 * electron, so the same code runs against a local generic-provider server under Node.
 */
import type { AppUpdater } from 'electron-updater';
import type { UpdateChannel, UpdaterPort } from './updater.js';

export function appUpdaterPort(updater: AppUpdater): UpdaterPort {
  // Leadbell decides when to download and never installs behind the owner's back mid-run; an
  // update downloaded and not yet installed goes in when the owner quits.
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;
  return {
    setChannel(channel: UpdateChannel) {
      updater.channel = channel === 'beta' ? 'beta' : 'latest';
      updater.allowPrerelease = channel === 'beta';
      // Setting a channel turns downgrades on in electron-updater: an older feed must never be offered.
      updater.allowDowngrade = false;
    },
    async check() {
      const result = await updater.checkForUpdates();
      return result?.isUpdateAvailable ? { version: result.updateInfo.version } : null;
    },
    async download() {
      await updater.downloadUpdate();
    },
    install() {
      updater.quitAndInstall(false, true);
    },
  };
}
