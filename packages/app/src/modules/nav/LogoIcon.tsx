/** The portal's mark: a hexagon (the platform) around a branch (GitOps). */
export const LogoMark = ({ size }: { size: number }) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 32 32"
    role="img"
    aria-label="Developer Portal"
  >
    <path d="M16 1.5 29 9v14l-13 7.5L3 23V9z" fill="#ee0000" />
    <path
      d="M11 9v14M11 15c0-3 2-4 5-4h2m-7 8c0-3 2-4 5-4h5"
      stroke="#ffffff"
      strokeWidth={2.2}
      strokeLinecap="round"
      fill="none"
    />
    <circle cx={21} cy={11} r={2.4} fill="#ffffff" />
  </svg>
);

export const LogoIcon = () => <LogoMark size={28} />;
