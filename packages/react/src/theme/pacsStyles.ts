/**
 * The components' stylesheet. Every selector starts with `.pacs-` (no element or global selector,
 * no reset outside our own scope), and everything themeable is a `--pacs-*` CSS variable, so it
 * cannot restyle the host page and the host can re-brand it. Inside `.pacs-scope`, our elements
 * first `revert` whatever the host's element selectors set (`button { text-transform: uppercase }`)
 * back to the browser defaults, then our own class rules apply.
 */
export const pacsStyles = `
.pacs-scope{--pacs-bg:#ffffff;--pacs-surface:#f5f7fa;--pacs-text:#1a2330;--pacs-muted:#5b6675;--pacs-border:#d5dbe3;
--pacs-primary:#1f5fbf;--pacs-primary-text:#ffffff;--pacs-danger:#b3261e;--pacs-ok:#1e7b34;--pacs-warn:#8a5a00;
--pacs-focus:#0b57d0;--pacs-row-selected:#dce8fb;--pacs-radius:6px;--pacs-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
--pacs-font-size:14px;--pacs-gap:8px}
.pacs-scope[data-pacs-theme="dark"]{--pacs-bg:#12161c;--pacs-surface:#1c222b;--pacs-text:#e6ebf1;--pacs-muted:#a4afbd;
--pacs-border:#364150;--pacs-primary:#7fb0ff;--pacs-primary-text:#0b1a33;--pacs-danger:#ffb4ab;--pacs-ok:#8fd19e;
--pacs-warn:#f2c063;--pacs-focus:#a8c7ff;--pacs-row-selected:#27406a}
.pacs-scope :where(div,span,p,h2,h3,h4,form,search,fieldset,legend,label,input,select,textarea,button,table,thead,tbody,tr,th,td,ul,ol,li,img,section,nav,header,dl,dt,dd,a,time,output,progress){all:revert;box-sizing:border-box}
.pacs-scope{color:var(--pacs-text);background:var(--pacs-bg);font-family:var(--pacs-font);font-size:var(--pacs-font-size);line-height:1.4;box-sizing:border-box}
.pacs-scope .pacs-heading{font-size:1.15em;font-weight:600;margin:0 0 var(--pacs-gap)}
.pacs-scope .pacs-muted{color:var(--pacs-muted)}
.pacs-scope .pacs-button{font:inherit;color:var(--pacs-primary-text);background:var(--pacs-primary);border:1px solid var(--pacs-primary);border-radius:var(--pacs-radius);padding:6px 12px;cursor:pointer;min-height:32px}
.pacs-scope .pacs-button[data-variant="secondary"]{color:var(--pacs-text);background:var(--pacs-surface);border-color:var(--pacs-border)}
.pacs-scope .pacs-button:disabled{opacity:.55;cursor:not-allowed}
.pacs-scope .pacs-button:focus-visible,.pacs-scope .pacs-input:focus-visible,.pacs-scope .pacs-table:focus-visible .pacs-row[data-active],.pacs-scope .pacs-tab:focus-visible,.pacs-scope .pacs-sort:focus-visible{outline:2px solid var(--pacs-focus);outline-offset:2px}
.pacs-scope .pacs-input{font:inherit;color:var(--pacs-text);background:var(--pacs-bg);border:1px solid var(--pacs-border);border-radius:var(--pacs-radius);padding:5px 8px;min-height:32px;width:100%}
.pacs-scope .pacs-field{display:flex;flex-direction:column;gap:2px;min-width:0}
.pacs-scope .pacs-field-label{font-size:.85em;color:var(--pacs-muted)}
.pacs-scope .pacs-search{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:var(--pacs-gap);align-items:end;padding:var(--pacs-gap);margin:0;border:1px solid var(--pacs-border);border-radius:var(--pacs-radius);background:var(--pacs-surface)}
.pacs-scope .pacs-actions{display:flex;gap:var(--pacs-gap);flex-wrap:wrap;align-items:center}
.pacs-scope .pacs-state{padding:16px;text-align:center;color:var(--pacs-muted)}
.pacs-scope .pacs-state[data-state="error"]{color:var(--pacs-danger)}
.pacs-scope .pacs-code{font-family:ui-monospace,monospace}
.pacs-scope .pacs-row[data-state="selected"]{background:var(--pacs-row-selected)}
.pacs-scope .pacs-table:focus-visible{outline:none}
.pacs-scope .pacs-viewport{overflow:auto;height:var(--pacs-list-height,420px);border:1px solid var(--pacs-border);border-radius:var(--pacs-radius)}
.pacs-scope .pacs-table{display:block;position:relative;border-collapse:collapse;width:100%;min-width:640px}
.pacs-scope .pacs-table-head-group{display:block;position:sticky;top:0;z-index:1}
.pacs-scope .pacs-table-body{display:block}
.pacs-scope .pacs-table-head,.pacs-scope .pacs-row{display:grid;grid-template-columns:var(--pacs-columns);gap:var(--pacs-gap);padding:0 var(--pacs-gap);align-items:center}
.pacs-scope .pacs-table-head{background:var(--pacs-surface);border-bottom:1px solid var(--pacs-border);font-weight:600;text-align:start}
.pacs-scope .pacs-row{cursor:pointer;border-bottom:1px solid var(--pacs-border);position:absolute;top:0;left:0;right:0}
.pacs-scope .pacs-cell{padding:0;font-weight:inherit;text-align:start}
.pacs-scope .pacs-cell{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pacs-scope .pacs-sort{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:4px 0;cursor:pointer;text-align:start}
.pacs-scope .pacs-badge{display:inline-block;padding:1px 6px;border-radius:999px;font-size:.8em;border:1px solid var(--pacs-border);background:var(--pacs-surface)}
.pacs-scope .pacs-badge[data-state="up"],.pacs-scope .pacs-badge[data-urgency="routine"]{color:var(--pacs-ok)}
.pacs-scope .pacs-badge[data-state="down"],.pacs-scope .pacs-badge[data-urgency="stat"]{color:var(--pacs-danger)}
.pacs-scope .pacs-badge[data-urgency="urgent"]{color:var(--pacs-warn)}
.pacs-scope .pacs-card{border:1px solid var(--pacs-border);border-radius:var(--pacs-radius);background:var(--pacs-bg);padding:12px}
.pacs-scope .pacs-series-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:var(--pacs-gap);list-style:none;padding:0;margin:0}
.pacs-scope .pacs-thumb{width:100%;aspect-ratio:1;object-fit:contain;background:#000;border-radius:var(--pacs-radius);display:block}
.pacs-scope .pacs-list{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:var(--pacs-gap)}
.pacs-scope .pacs-dashboard{display:grid;grid-template-columns:minmax(0,2fr) minmax(280px,1fr);gap:12px}
.pacs-scope .pacs-stack{display:flex;flex-direction:column;gap:12px;min-width:0}
.pacs-scope .pacs-tabs{display:flex;gap:4px;border-bottom:1px solid var(--pacs-border);margin-bottom:var(--pacs-gap)}
.pacs-scope .pacs-tab{font:inherit;color:var(--pacs-muted);background:none;border:0;border-bottom:2px solid transparent;padding:8px 12px;cursor:pointer}
.pacs-scope .pacs-tab[data-state="active"]{color:var(--pacs-text);border-bottom-color:var(--pacs-primary)}
.pacs-scope .pacs-patient{max-width:720px;margin:0 auto;padding:12px;display:flex;flex-direction:column;gap:12px}
.pacs-scope .pacs-timeline{list-style:none;margin:0;padding:0 0 0 16px;border-left:2px solid var(--pacs-border);display:flex;flex-direction:column;gap:12px}
.pacs-scope .pacs-timeline-item[data-state="selected"] .pacs-card{border-color:var(--pacs-primary)}
.pacs-scope .pacs-timeline-button{all:unset;display:block;cursor:pointer;width:100%;border-radius:var(--pacs-radius)}
.pacs-scope .pacs-timeline-button:focus-visible{outline:2px solid var(--pacs-focus);outline-offset:2px}
.pacs-scope .pacs-study-viewer{height:clamp(320px,65vh,760px);min-height:0;overflow:hidden}
.pacs-scope .pacs-simple-viewer{display:flex;flex-direction:column;gap:var(--pacs-gap);touch-action:none}
.pacs-scope .pacs-simple-image{width:100%;max-height:60vh;object-fit:contain;background:#000;border-radius:var(--pacs-radius);touch-action:none}
@media (max-width:640px){.pacs-scope .pacs-table{min-width:0}.pacs-scope .pacs-dashboard{grid-template-columns:1fr}.pacs-scope .pacs-button,.pacs-scope .pacs-input{min-height:44px}.pacs-scope .pacs-hide-narrow{display:none}}
`;
