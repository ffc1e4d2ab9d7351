package store

import (
	"encoding/json"
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// encodingV1 is the first value encoding: a version byte, then JSON.
const encodingV1 byte = 1

func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte{encodingV1}, b...), nil
}

func decode(b []byte, v any) error {
	if len(b) == 0 || b[0] != encodingV1 {
		return fmt.Errorf("store: value encoding %d is not known to this release", firstByte(b))
	}
	return json.Unmarshal(b[1:], v)
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// money is an amount as stored: a decimal string and its currency.
type money struct {
	Value    string          `json:"v"`
	Currency engine.Currency `json:"c"`
}

func toMoney(a engine.Amount) money { return money{a.Value.String(), a.Currency} }

func (m money) amount() (engine.Amount, error) {
	if m.Value == "" {
		return engine.Zero(m.Currency), nil
	}
	v, err := decimal.NewFromString(m.Value)
	if err != nil {
		return engine.Amount{}, fmt.Errorf("store: stored amount %q: %w", m.Value, err)
	}
	return engine.NewAmount(v, m.Currency), nil
}
