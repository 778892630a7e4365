// Renders every figure once the page has parsed, then folds the fallback tables away.
(function(){
  var specs=JSON.parse(document.getElementById("ptm-figures").textContent);
  var cfg={displaylogo:false,responsive:true,modeBarButtonsToRemove:["select2d","lasso2d"]};
  var divs=document.querySelectorAll("div.plot[data-fig]");
  for(var i=0;i<divs.length;i++){(function(div){
    var spec=specs[div.getAttribute("data-fig")];
    Plotly.newPlot(div,spec.data,spec.layout,cfg).then(function(){
      div.setAttribute("data-rendered","1");
      var fb=div.parentNode.querySelector("details.fallback"); if(fb){fb.open=false;}
    });
  })(divs[i]);}
  document.documentElement.setAttribute("data-plots-done","1");
})();
