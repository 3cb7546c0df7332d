/**
 * @module report/html/styles
 * Report layer: the HTML report's style sheet, inlined in the page (the report loads nothing: no fonts, no
 * CDN). System fonts only; prints legibly.
 */

export const REPORT_CSS = `
:root{--fg:#1d2733;--muted:#5b6878;--line:#d8dee6;--bg:#fff;--panel:#f6f8fb;--err:#b42318;--warn:#b54708;--info:#175cd3;--ok:#067647}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:18px 28px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0;color:var(--muted)}
main{padding:8px 28px 40px}
section.block{margin:22px 0}
h2{font-size:18px;margin:0 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:14px 0 6px}
h4{font-size:14px;margin:14px 0 4px}
.summary span{display:inline-block;margin-right:14px;font-weight:600}
.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}
.summary-note{border-left:4px solid var(--warn);background:#fffbe6;padding:4px 12px;margin:8px 0}
.diagram{overflow:auto;max-height:78vh;border:1px solid var(--line);border-radius:6px;background:#fff}
.diagram.fit svg{max-width:100%;height:auto}
#diagram-zoom{font:inherit;font-size:12px;padding:2px 10px;cursor:pointer}
.finding{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;padding:6px 14px;margin:6px 0;background:#fff}
.finding>summary{color:var(--fg);padding:2px 0}
.finding[open]>summary{margin-bottom:6px}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}.finding.info{border-left-color:var(--info)}
.finding .badge{font-size:12px;font-weight:700;text-transform:uppercase;margin-right:8px}
.where{color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;margin:2px 0}
pre{background:#0f1720;color:#e6edf3;padding:10px;border-radius:6px;overflow:auto;font-size:12px}
details{margin:4px 0}
summary{cursor:pointer;color:var(--info)}
.subnets{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 12px;max-height:220px;overflow:auto}
.subnets button{font:inherit;font-size:13px;border:1px solid #4a78b5;background:#eef5ff;border-radius:4px;padding:3px 8px;cursor:pointer}
.subnets button.selected{background:#d35400;color:#fff;border-color:#d35400}
#subnet-detail{border:1px solid var(--line);border-radius:6px;padding:4px 14px 12px;background:var(--panel)}
table.grid{border-collapse:collapse;width:100%;font-size:12.5px;margin:4px 0;background:#fff}
table.grid th,table.grid td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
table.grid th{background:#eef1f5}
table.grid tr.deny td{background:#fff3f2}
table.grid tr.default td{color:var(--muted)}
ul.notes{color:var(--muted);font-size:12.5px}
form.flow{display:grid;grid-template-columns:repeat(6,auto);gap:6px 10px;align-items:end}
form.flow label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
form.flow input,form.flow select{font:inherit;padding:4px 6px;min-width:120px}
form.flow button{font:inherit;padding:5px 14px;background:#175cd3;color:#fff;border:0;border-radius:4px;cursor:pointer}
#flow-result .verdict{font-size:16px;margin:10px 0 4px}
#flow-result .verdict.allow strong{color:var(--ok)}
#flow-result .verdict.deny strong{color:var(--err)}
#flow-result .verdict.unknown strong,#flow-result .verdict.problem{color:var(--warn)}
footer{color:var(--muted);font-size:12px;padding:10px 28px;border-top:1px solid var(--line)}
`;
