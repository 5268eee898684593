declare module 'zengin-code' {
  /** Zengin bank and branch codes (offline data shipped in the package), keyed by 4-digit bank code. */
  const data: Record<string, { code: string; name: string; kana: string; hira: string; roma: string; branches: Record<string, { code: string; name: string; kana: string; hira: string; roma: string }> }>;
  export default data;
}
