// The site's icon: a "Q" drawn with shapes rather than text, so it looks the same whatever fonts
// the reader has. Presentation attributes only: the CSP forbids inline styles.
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\
<rect width="32" height="32" rx="7" fill="#0a57a4"/>\
<circle cx="15.5" cy="15" r="8" fill="none" stroke="#fff" stroke-width="3.5"/>\
<path d="M18.5 18.5 25 25" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>\
</svg>
`
