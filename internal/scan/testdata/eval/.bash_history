nvidia-smi
huggingface-cli login --token {{hf}}
export OPENAI_API_KEY={{openai-proj}}
modal token set --token-id {{modal-id}} --token-secret {{modal-secret}}
wandb login {{wandb-hex}}
git clone https://{{ghp}}@github.com/ml-team/support-ft.git
cd support-ft && git log -1 --format=%H
git checkout {{!git-sha}}
pip download torch==2.4.1 --no-deps -d wheels && sha256sum wheels/*
echo {{!sha256}}
export GROQ_API_KEY={{groq}}
curl -H "Authorization: Bearer {{!your-token}}" localhost:8000/health
export PINECONE_API_KEY={{pinecone}}
psql postgresql://admin:{{db-password}}@10.0.3.12/support
