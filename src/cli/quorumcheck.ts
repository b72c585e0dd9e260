#!/usr/bin/env node
console.log('quorumcheck placeholder');
