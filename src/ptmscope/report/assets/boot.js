// Unpacks the inlined (gzip + base64) plotly.js bundle, runs it under this script's nonce,
// renders every figure, then folds the fallback data tables away. Without JavaScript, or in
// a browser without DecompressionStream, the fallback tables simply stay open.
(function(){
  var nonce=document.currentScript.nonce;
  var root=document.documentElement;
  // milestones in ms since navigation start, for tests and benchmarks
  function mark(name){root.setAttribute("data-ms-"+name,Math.round(performance.now()));}
  var packed=document.getElementById("ptm-plotly");
  if(!packed||typeof DecompressionStream==="undefined"){return;}
  root.classList.add("js");  // plots will draw: reserve their space
  function render(){
    var specs=JSON.parse(document.getElementById("ptm-figures").textContent);
    var cfg={displaylogo:false,responsive:true,modeBarButtonsToRemove:["select2d","lasso2d"]};
    var divs=document.querySelectorAll("div.plot[data-fig]");
    var pending=[];
    for(var i=0;i<divs.length;i++){(function(div){
      var spec=specs[div.getAttribute("data-fig")];
      pending.push(Plotly.newPlot(div,spec.data,spec.layout,cfg).then(function(){
        div.setAttribute("data-rendered","1");
        var fb=div.parentNode.querySelector("details.fallback"); if(fb){fb.open=false;}
      }));
    })(divs[i]);}
    Promise.all(pending).then(function(){
      mark("plots"); root.setAttribute("data-plots-done","1");
    });
  }
  var raw=atob(packed.textContent.trim());
  var bytes=new Uint8Array(raw.length);
  for(var i=0;i<raw.length;i++){bytes[i]=raw.charCodeAt(i);}
  var stream=new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function(code){
    mark("unpack");
    var s=document.createElement("script");
    s.nonce=nonce;  // allowed by the page's CSP like the inline scripts
    s.textContent=code;
    document.head.appendChild(s);  // runs synchronously
    mark("plotly");
    render();
  });
})();
