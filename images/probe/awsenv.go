package main

// `probe awsenv`: the AWS identity this pod was given, as the AWS SDKs would find it: the web-identity role and
// token file IRSA injects (the token's claims, decoded without verifying the signature: the API server issued the
// file, the question is what it says), and any static credentials in the environment or a shared credentials file.
// Only names, claims and booleans are printed, never a key, secret or token.

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// AwsEnv is the one JSON object `probe awsenv` prints.
type AwsEnv struct {
	RoleArn         string       `json:"roleArn,omitempty"`
	TokenFile       string       `json:"tokenFile,omitempty"`
	Token           *TokenClaims `json:"token,omitempty"`
	TokenError      string       `json:"tokenError,omitempty"`
	StaticEnv       []string     `json:"staticEnv"`       // names of static credential variables that are set
	CredentialFiles []string     `json:"credentialFiles"` // shared credentials files holding aws_access_key_id
	ContainerCreds  string       `json:"containerCredentialsUri,omitempty"`
}

// TokenClaims are the projected service-account token's claims that decide what STS would accept.
type TokenClaims struct {
	Audience []string `json:"aud"`
	Subject  string   `json:"sub"`
	Issuer   string   `json:"iss"`
	Expiry   int64    `json:"exp"`
}

var staticCredentialVars = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}

func awsenvCmd(stdout io.Writer) int {
	env := ReadAwsEnv(os.Getenv, os.ReadFile)
	_ = json.NewEncoder(stdout).Encode(env)
	return 0
}

// ReadAwsEnv reads the identity from getenv and readFile (the process's own in the pod).
func ReadAwsEnv(getenv func(string) string, readFile func(string) ([]byte, error)) AwsEnv {
	out := AwsEnv{RoleArn: getenv("AWS_ROLE_ARN"), TokenFile: getenv("AWS_WEB_IDENTITY_TOKEN_FILE"),
		ContainerCreds: getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"), StaticEnv: []string{}, CredentialFiles: []string{}}
	for _, name := range staticCredentialVars {
		if getenv(name) != "" {
			out.StaticEnv = append(out.StaticEnv, name)
		}
	}
	if out.TokenFile != "" {
		raw, err := readFile(out.TokenFile)
		if err != nil {
			out.TokenError = err.Error()
		} else if claims, err := decodeClaims(strings.TrimSpace(string(raw))); err != nil {
			out.TokenError = err.Error()
		} else {
			out.Token = claims
		}
	}
	files := []string{getenv("AWS_SHARED_CREDENTIALS_FILE")}
	if home := getenv("HOME"); home != "" {
		files = append(files, filepath.Join(home, ".aws", "credentials"))
	}
	for _, f := range files {
		if f == "" {
			continue
		}
		if raw, err := readFile(f); err == nil && strings.Contains(strings.ToLower(string(raw)), "aws_access_key_id") {
			out.CredentialFiles = append(out.CredentialFiles, f)
		}
	}
	return out
}

type claimsError string

func (e claimsError) Error() string { return string(e) }

// decodeClaims reads a JWT's payload; aud may be a string or a list.
func decodeClaims(jwt string) (*TokenClaims, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, claimsError("token file does not hold a JWT (want three dot-separated parts)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, claimsError("token payload is not base64url: " + err.Error())
	}
	var raw struct {
		Aud json.RawMessage `json:"aud"`
		Sub string          `json:"sub"`
		Iss string          `json:"iss"`
		Exp int64           `json:"exp"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, claimsError("token payload is not JSON: " + err.Error())
	}
	claims := &TokenClaims{Subject: raw.Sub, Issuer: raw.Iss, Expiry: raw.Exp}
	var one string
	if json.Unmarshal(raw.Aud, &one) == nil {
		claims.Audience = []string{one}
	} else {
		_ = json.Unmarshal(raw.Aud, &claims.Audience)
	}
	return claims, nil
}
