// The globals our page scripts see: uPlot, inlined before them as its browser build.
declare const uPlot: typeof import('uplot');
