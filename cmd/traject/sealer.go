package main

import (
	"traject/internal/config"
	"traject/internal/store"
)

// sealerOf builds the sealer of national numbers from TRAJECT_SECRET_KEY, or
// nil without one: the store then refuses national numbers with an error
// that names the setting, rather than keep them in clear.
func sealerOf(cfg config.Config) (*store.Sealer, error) {
	if cfg.SecretKey == "" {
		return nil, nil
	}
	key, err := config.DecodeKey(cfg.SecretKey) // validated with the config
	if err != nil {
		return nil, err
	}
	return store.NewSealer(key)
}
