// Porcupine's check times on the checker benchmark's corpora, for `npm run bench:checker --
// --porcupine FILE`. Not part of this repository's build: run.sh copies this file into a
// Porcupine checkout (package porcupine, so that it uses Porcupine's own etcd and kv models and
// log parsers from its tests) and runs it there. One line per history and figure:
//
//	corpus,file,verdict,median_ms        elapsed time of CheckEventsTimeout
//	cpu-corpus,file,verdict,median_ms    CPU time of the process over the same runs (getrusage)
//
// Corpora: etcd (test_data/jepsen, etcdModel), kv (test_data/kv, kvModel) and registers
// (PORCUPINE_TIMES_REGISTERS: a folder of JSON-lines register histories, values [key, value], the
// etcd model on each key, as the checker's etcd-keyed model reads them).
package porcupine

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

const nilValue = -1000000 // etcdModel's nil

// One operation of the JSON-lines history format (only the fields used here).
type jsonOperation struct {
	Type    string          `json:"type"`
	Process json.RawMessage `json:"process"`
	F       string          `json:"f"`
	Value   json.RawMessage `json:"value"`
}

type keyedInput struct {
	key   string
	input etcdInput
}

// etcdModel on each key of a keyed register history.
var etcdKeyedModel = Model{
	Init: etcdModel.Init,
	Step: func(state, input, output interface{}) (bool, interface{}) {
		return etcdModel.Step(state, input.(keyedInput).input, output)
	},
	PartitionEvent: func(history []Event) [][]Event {
		byKey := map[string][]Event{}
		keyOf := map[int]string{}
		for _, event := range history {
			if event.Kind == CallEvent {
				keyOf[event.Id] = event.Value.(keyedInput).key
			}
			key := keyOf[event.Id]
			byKey[key] = append(byKey[key], event)
		}
		keys := make([]string, 0, len(byKey))
		for key := range byKey {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		parts := make([][]Event, 0, len(keys))
		for _, key := range keys {
			parts = append(parts, byKey[key])
		}
		return parts
	},
	Equal:             func(a, b interface{}) bool { return a == b },
	Hash:              func(state interface{}) uint64 { return uint64(state.(int)) },
	DescribeOperation: func(input, output interface{}) string { return fmt.Sprintf("%v -> %v", input, output) },
}

func registerValue(raw json.RawMessage) int {
	if string(raw) == "null" {
		return nilValue
	}
	var value int
	if err := json.Unmarshal(raw, &value); err != nil {
		panic(fmt.Sprintf("register value %s: %v", raw, err))
	}
	return value
}

// A keyed register history as events: fail drops the call, info (or no completion) returns at the
// end with an unknown output, as parseJepsenLog does.
func parseKeyedRegisterLog(path string) []Event {
	file, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer file.Close()
	var ops []jsonOperation
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		if strings.TrimSpace(scanner.Text()) == "" {
			continue
		}
		var op jsonOperation
		if err := json.Unmarshal(scanner.Bytes(), &op); err != nil {
			panic(fmt.Sprintf("%s: %v", path, err))
		}
		if string(op.Process) != `"nemesis"` {
			ops = append(ops, op)
		}
	}
	// First pass: which invocations fail (they did nothing and are left out).
	failed := map[int]bool{}
	open := map[string]int{}
	for i, op := range ops {
		if op.Type == "invoke" {
			open[string(op.Process)] = i
		} else if op.Type == "fail" {
			failed[open[string(op.Process)]] = true
		}
	}
	var events []Event
	openId := map[string]int{}
	id := 0
	for i, op := range ops {
		process := string(op.Process)
		var pair [2]json.RawMessage
		if err := json.Unmarshal(op.Value, &pair); err != nil {
			panic(fmt.Sprintf("%s: value %s: %v", path, op.Value, err))
		}
		var key string
		if err := json.Unmarshal(pair[0], &key); err != nil {
			panic(fmt.Sprintf("%s: key %s: %v", path, pair[0], err))
		}
		switch op.Type {
		case "invoke":
			if failed[i] {
				continue
			}
			input := etcdInput{}
			switch op.F {
			case "read":
				input.op = 0
			case "write":
				input.op, input.arg1 = 1, registerValue(pair[1])
			case "cas":
				var args [2]json.RawMessage
				if err := json.Unmarshal(pair[1], &args); err != nil {
					panic(fmt.Sprintf("%s: cas %s: %v", path, pair[1], err))
				}
				input.op, input.arg1, input.arg2 = 2, registerValue(args[0]), registerValue(args[1])
			}
			events = append(events, Event{Kind: CallEvent, Value: keyedInput{key, input}, Id: id})
			openId[process] = id
			id++
		case "ok":
			output := etcdOutput{}
			switch op.F {
			case "read":
				output.exists, output.value = string(pair[1]) != "null", registerValue(pair[1])
			case "cas":
				output.ok = string(pair[1]) != "false"
			}
			events = append(events, Event{Kind: ReturnEvent, Value: output, Id: openId[process]})
			delete(openId, process)
		case "fail":
		case "info":
			// Left open: returns at the end with an unknown output.
		}
	}
	for _, id := range openId {
		events = append(events, Event{Kind: ReturnEvent, Value: etcdOutput{unknown: true}, Id: id})
	}
	return events
}

func cpuNs() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

func medianMs(values []time.Duration) float64 {
	sorted := append([]time.Duration(nil), values...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	middle := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return float64(sorted[middle]) / 1e6
	}
	return float64(sorted[middle-1]+sorted[middle]) / 2e6
}

func verdictName(result CheckResult) string {
	switch result {
	case Ok:
		return "valid"
	case Illegal:
		return "invalid"
	}
	return "unknown"
}

// One warm-up run, then runs until 300 ms in all (at least 3, at most 200; one when a run takes a
// second or more).
func timeHistory(out *os.File, corpus, name string, model Model, events []Event, timeout time.Duration) {
	result := CheckEventsTimeout(model, events, timeout)
	var elapsed, cpu []time.Duration
	var spent time.Duration
	for len(elapsed) < 200 && (len(elapsed) < 3 || spent < 300*time.Millisecond) {
		startCpu := cpuNs()
		start := time.Now()
		result = CheckEventsTimeout(model, events, timeout)
		took := time.Since(start)
		elapsed = append(elapsed, took)
		cpu = append(cpu, time.Duration(cpuNs()-startCpu))
		spent += took
		if took > time.Second {
			break
		}
	}
	fmt.Fprintf(out, "%s,%s,%s,%.3f\n", corpus, name, verdictName(result), medianMs(elapsed))
	fmt.Fprintf(out, "cpu-%s,%s,%s,%.3f\n", corpus, name, verdictName(result), medianMs(cpu))
}

func TestCheckerBenchTimes(t *testing.T) {
	outPath := os.Getenv("PORCUPINE_TIMES_OUT")
	if outPath == "" {
		t.Skip("PORCUPINE_TIMES_OUT not set")
	}
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	only := os.Getenv("PORCUPINE_TIMES_ONLY")
	wanted := func(corpus string) bool { return only == "" || strings.Contains(","+only+",", ","+corpus+",") }
	timeout := 60 * time.Second
	if wanted("etcd") {
		logs, _ := filepath.Glob("test_data/jepsen/etcd_*.log")
		for _, path := range logs {
			timeHistory(out, "etcd", filepath.Base(path), etcdModel, parseJepsenLog(path), timeout)
		}
	}
	if wanted("kv") {
		logs, _ := filepath.Glob("test_data/kv/*.txt")
		for _, path := range logs {
			timeHistory(out, "kv", filepath.Base(path), kvModel, parseKvLog(path), timeout)
		}
	}
	if dir := os.Getenv("PORCUPINE_TIMES_REGISTERS"); dir != "" && wanted("registers") {
		logs, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		for _, path := range logs {
			timeHistory(out, "registers", filepath.Base(path), etcdKeyedModel, parseKeyedRegisterLog(path), timeout)
		}
	}
}
