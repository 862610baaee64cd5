/* zhanting search: Chinese substrings, words and prefixes; the index comes as script files (works on file://). */
(function(){
var d=document,R=d.getElementById('zt-search');if(!R)return;
var B=R.getAttribute('data-root'),O=R.getAttribute('data-offline')=='1',L=JSON.parse(R.getAttribute('data-l')),
Q=d.getElementById('zt-q'),U=d.getElementById('zt-results'),M=d.getElementById('zt-status'),
A='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',I,S={},T={},W={},run=0,shown,hits,needles;
window.ZT={i:function(x){I=x;ok('i')},s:function(n,x){S[n]=x;ok('s'+n)},t:function(n,x){T[n]=x;ok('t'+n)}};
function ok(k){var w=W[k];W[k]=0;if(w)w.forEach(function(f){f()})}
function load(k,f){return new Promise(function(y,n){if(W[k]===0)return y();if(W[k])return W[k].push(y);W[k]=[y];var s=d.createElement('script');s.src=B+'search/'+f+'.js';s.onerror=function(){W[k]=null;n(f)};d.head.appendChild(s)})}
function nz(c){var n=c.charCodeAt(0);if(n>=65281&&n<=65374)c=String.fromCharCode(n-65248);return c<'\x80'?c.toLowerCase():c}
function han(n){return n>=12352&&n<=12543||n>=13312&&n<=19903||n>=19968&&n<=40959||n>=63744&&n<=64255||n>=131072&&n<=196607}
function isw(c){return/[a-z0-9]/.test(c)}
function units(s){var c=Array.from(s).map(nz),u=[],i=0,w;while(i<c.length){if(han(c[i].codePointAt(0)))u.push({h:c[i++]});else if(isw(c[i])){w='';while(i<c.length&&isw(c[i]))w+=c[i++];u.push({w:w.slice(0,32)})}else{u.push(0);i++}}return u}
/* terms of a phrase: [key, exact, offset] */
function terms(u){var t=[],k=0,x,y,i;for(i=0;i<u.length;i++){x=u[i];if(!x)continue;y=u[i+1];if(x.h){if(y&&y.h)t.push([x.h+y.h,1,k]);else if(!(i&&u[i-1]&&u[i-1].h))t.push([x.h,0,k])}else t.push([x.w,0,k]);k++}return t}
function shard(k){return S[k.codePointAt(0)%I.s]||{}}
function dec(s,m){var i=0,doc=-1,n,p,q;function v(){var r=0,f=1,c;do{c=A.indexOf(s[i++]);r+=(c&31)*f;f*=32}while(c&32);return r}
while(i<s.length){doc+=v()+1;n=v();p=0;var a=m[doc]||(m[doc]=[]);while(n--){p+=v();a.push(p)}}return m}
function post(t){var h=shard(t[0]),m={},k;if(t[1]){if(h[t[0]])dec(h[t[0]],m)}else for(k in h)if(k.indexOf(t[0])==0&&(isw(t[0][0])?isw(k[0]):1))dec(h[k],m);return m}
/* docs where the terms stand at their offsets: doc -> first start */
function phrase(ts,P){var r={},a=P[ts[0][0]+ts[0][1]],doc,j,i,s,ok;for(doc in a){for(i=0;i<a[doc].length;i++){s=a[doc][i]-ts[0][2];ok=1;for(j=1;j<ts.length&&ok;j++){var b=P[ts[j][0]+ts[j][1]][doc];ok=b&&b.indexOf(s+ts[j][2])>=0}if(ok){r[doc]=s;break}}}return r}
function groups(q){var g=[];q.split(/\s+/).forEach(function(w){if(!w)return;var u=units(w),h=u.every(function(x){return x&&x.h});if(h&&u.length>2){for(var i=0;i<u.length;i+=2){var a=Math.min(i,u.length-2);g.push(u.slice(a,a+2))}}else g.push(u)});return g}
function search(q){var all=units(q),gs=groups(q),ts=terms(all),sh={},P={};
if(!ts.length)return Promise.resolve([]);
gs.map(terms).concat([ts]).forEach(function(t){t.forEach(function(x){sh[x[0].codePointAt(0)%I.s]=1})});
return Promise.all(Object.keys(sh).map(function(n){return load('s'+n,'s'+n)})).then(function(){
function key(t){if(!P[t[0]+t[1]])P[t[0]+t[1]]=post(t)}
ts.forEach(key);gs.forEach(function(g){terms(g).forEach(key)});
var ph=phrase(ts,P),rest=null,tl=function(doc,s){return s<A.indexOf(I.t[doc])?0:1},out=[];
gs.forEach(function(g){var t=terms(g);if(!t.length)return;var m=phrase(t,P),n={},x;for(x in m)if(!rest||x in rest)n[x]=Math.min(m[x],rest?rest[x]:m[x]);rest=n});
function rank(m,set){return Object.keys(m).filter(function(x){return!set||!(x in set)}).map(Number).sort(function(a,b){return tl(a,m[a])-tl(b,m[b])||a-b})}
out=rank(ph);return out.concat(rank(rest||{},ph))})}
function esc(s){return s.replace(/[&<>"]/g,function(c){return'&#'+c.charCodeAt(0)+';'})}
function hl(s){var n=Array.from(s).map(nz).join(''),r=[],i,j,x,h='',p=0;needles.forEach(function(k){i=0;while(k&&(j=n.indexOf(k,i))>=0){r.push([j,j+k.length]);i=j+k.length}});r.sort(function(a,b){return a[0]-b[0]});
r.forEach(function(x){if(x[0]<p)return;h+=esc(s.slice(p,x[0]))+'<mark>'+esc(s.slice(x[0],x[1]))+'</mark>';p=x[1]});return h+esc(s.slice(p))}
function snip(t){var n=Array.from(t).map(nz).join(''),i=-1;needles.some(function(k){i=n.indexOf(k);return i>=0});i=Math.max(0,i-30);return(i?'…':'')+hl(t.slice(i,i+110))+(t.length>i+110?'…':'')}
function href(p){return O?B+p.slice(1)+(p.slice(-1)=='/'?'index.html':''):B+p.slice(1)}
function more(){var my=run,next=hits.slice(shown,shown+10),ch={};next.forEach(function(x){ch[Math.floor(x/I.c)]=1});
Promise.all(Object.keys(ch).map(function(k){return load('t'+k,'t'+k)})).then(function(){if(my!=run)return;var old=d.getElementById('zt-more');if(old)old.remove();
next.forEach(function(x){var r=T[Math.floor(x/I.c)][x%I.c],li=d.createElement('li');li.innerHTML='<a href="'+esc(href(r[0]))+'">'+hl(r[1])+'</a><small>'+esc([r[3],r[2]].filter(Boolean).join(' · '))+'</small><p>'+snip(r[4])+'</p>';U.appendChild(li)});
shown+=next.length;if(shown<hits.length){var b=d.createElement('button');b.id='zt-more';b.type='button';b.textContent=L.more;b.onclick=more;U.parentNode.appendChild(b)}})}
function go(){var q=Q.value.trim(),my=++run;try{history.replaceState(null,'',q?'?q='+encodeURIComponent(q):location.pathname)}catch(e){}
U.innerHTML='';var old=d.getElementById('zt-more');if(old)old.remove();if(!q){M.textContent='';return}
needles=[q.replace(/\s+/g,'')].concat(q.split(/\s+/)).map(function(w){return Array.from(w).map(nz).join('')}).filter(Boolean);
load('i','index').then(function(){return search(q)}).then(function(h){if(my!=run)return;hits=h;shown=0;M.textContent=h.length?L.count.replace('{n}',h.length):L.none;if(h.length)more()})}
var tm;Q.addEventListener('input',function(){clearTimeout(tm);tm=setTimeout(go,120)});
Q.form.addEventListener('submit',function(e){e.preventDefault();go()});
var m=/[?&]q=([^&]*)/.exec(location.search);if(m){Q.value=decodeURIComponent(m[1].replace(/\+/g,' '));go()}
})();
