// Messages for the games pages; merged into the locale messages in ./index.ts. 'en' must have the same keys.
const zhCN = {};

const en: typeof zhCN = {};

export default { 'zh-CN': zhCN, en };
