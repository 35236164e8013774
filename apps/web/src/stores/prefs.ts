import { defineStore } from './store.ts';
import { reactive, watch } from 'vue';
import { browserStorage, loadPrefs, savePrefs, type Prefs } from '../lib/prefsStorage.ts';

/** Display name, chosen devices and the lobby's mic/camera choice, remembered in this browser. */
export const usePrefsStore = defineStore(() => {
  const storage = browserStorage();
  const prefs = reactive<Prefs>(loadPrefs(storage));
  watch(prefs, (value) => savePrefs(storage, { ...value }), { deep: true });
  return { prefs };
});
